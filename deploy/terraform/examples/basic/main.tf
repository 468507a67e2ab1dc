# The smallest use of the module: rotate one secret every 30 days with self-rotation.
# terraform init && terraform apply -var secret_arn=arn:aws:secretsmanager:…

variable "secret_arn" {
  type = string
}

provider "aws" {}

module "dbt_rotate" {
  source       = "../../modules/dbt-rotate"
  secret_arn   = var.secret_arn
  package_path = "${path.root}/../../../../build/lambda/dbt-rotate-lambda.zip"
}

output "function_arn" {
  value = module.dbt_rotate.function_arn
}
