# Every optional setting, for a FedRAMP tenant reached through a slow network. The credentials
# come from SAIL_CLIENT_ID and SAIL_CLIENT_SECRET.
provider "sailpoint" {
  base_url  = "https://acme.api.saas.sailpointfedramp.com"
  token_url = "https://acme.api.saas.sailpointfedramp.com/oauth/token" # what GET {base_url}/oauth/info calls tokenEndpoint

  api_version         = "v2025" # v1 (default: /sources/v1, /source-usages/v1/...), v3, beta, v2024, v2025, v2026
  request_timeout     = "1m"    # per HTTP attempt, body included (default 30s)
  max_retries         = 8       # after a 429, 500, 502, 503, 504, a dropped connection or a timeout (default 5)
  requests_per_second = 5       # default 10, the whole budget: ISC allows 100 requests per access token per 10 s
}
