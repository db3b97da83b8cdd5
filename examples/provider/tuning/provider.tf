# Every optional setting, for a FedRAMP tenant whose client id other tools use at the same
# time. The credentials come from SAIL_CLIENT_ID and SAIL_CLIENT_SECRET.
provider "sailpoint" {
  base_url  = "https://acme.api.saas.sailpointfedramp.com"
  token_url = "https://acme.api.saas.sailpointfedramp.com/oauth/token" # what GET {base_url}/oauth/info calls tokenEndpoint

  api_version         = "v2025" # v3 (default), beta, v2024, v2025, v2026, or v1 for /source-usages/v1/...
  request_timeout     = "1m"    # per HTTP attempt, body included (default 30s)
  max_retries         = 8       # after a 429, 500, 502, 503, 504 or a connection error (default 5)
  requests_per_second = 4       # leaves room for the other tools (default 10: the tenant allows 100 per 10 s)
}
