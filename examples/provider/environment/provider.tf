# Nothing in HCL: the provider reads SAIL_BASE_URL (or SAIL_TENANT), SAIL_CLIENT_ID and
# SAIL_CLIENT_SECRET (or SAIL_ACCESS_TOKEN) from the environment, the same variables
# SailPoint's SDKs and CLI use. This keeps secrets out of the configuration and its state.
provider "sailpoint" {}
