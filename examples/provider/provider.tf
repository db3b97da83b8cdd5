terraform {
  required_providers {
    sailpoint = {
      source  = "sailpoint-community/sailpoint"
      version = "~> 0.1"
    }
  }
}

# Every attribute is optional: what is not set here is read from SAIL_BASE_URL (or
# SAIL_TENANT), SAIL_CLIENT_ID and SAIL_CLIENT_SECRET (or SAIL_ACCESS_TOKEN).
provider "sailpoint" {
  tenant        = "acme" # https://acme.api.identitynow.com
  client_id     = var.sailpoint_client_id
  client_secret = var.sailpoint_client_secret
}

variable "sailpoint_client_id" {
  type        = string
  description = "Client id of an ISC API client or personal access token with the scopes idn:sources:read and idn:identity-history:manage."
}

variable "sailpoint_client_secret" {
  type        = string
  sensitive   = true
  description = "Its secret."
}
