variable "name" {
  description = "Name of the function, its role and its log group."
  type        = string
  default     = "dbt-rotate"
}

variable "secret_arn" {
  description = "Full ARN of the secret holding the dbt Cloud service token."
  type        = string
}

variable "package_path" {
  description = "Path to dbt-rotate-lambda.zip (scripts/package-lambda)."
  type        = string
}

variable "manager_secret_arn" {
  description = "Optional: a secret with an account_admin token that creates and revokes (for non-admin tokens)."
  type        = string
  default     = null
}

variable "kms_key_arn" {
  description = "Optional: the customer-managed KMS key the secrets are encrypted with."
  type        = string
  default     = null
}

variable "schedule_expression" {
  description = "rate(N days) or cron(...)."
  type        = string
  default     = "rate(30 days)"
}

variable "rotation_window" {
  description = "Duration of the rotation window, e.g. 3h."
  type        = string
  default     = "3h"
}

variable "rotate_immediately" {
  description = "Rotate once when the rotation is configured (false runs only testSecret)."
  type        = bool
  default     = true
}

variable "overlap" {
  description = "DBT_ROTATE_OVERLAP: none, until-next, or a duration such as 36h."
  type        = string
  default     = "none"
}

variable "dbt_cloud_host" {
  description = "Optional: the access URL; otherwise the secret's access_url."
  type        = string
  default     = null
}

variable "dbt_cloud_account_id" {
  description = "Optional: the dbt Cloud account id; otherwise the secret's account_id."
  type        = string
  default     = null
}

variable "timeout_seconds" {
  type    = number
  default = 120
}

variable "memory_size" {
  type    = number
  default = 256
}

variable "subnet_ids" {
  description = "Optional: run in a VPC (the subnets need a route to Secrets Manager and to the dbt Cloud host)."
  type        = list(string)
  default     = []
}

variable "security_group_ids" {
  type    = list(string)
  default = []
}

variable "log_retention_days" {
  type    = number
  default = 90
}
