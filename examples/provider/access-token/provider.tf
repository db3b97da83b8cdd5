# A bearer token obtained elsewhere, for example by a CI step. The provider uses it as is and
# never refreshes it: when it expires (ISC tokens live about 12 minutes), reads fail with 401.
provider "sailpoint" {
  base_url     = "https://acme.api.identitynow.com"
  access_token = var.sailpoint_access_token
}

variable "sailpoint_access_token" {
  type        = string
  sensitive   = true
  description = "An ISC access token with the scopes idn:sources:read and idn:identity-history:manage."
}
