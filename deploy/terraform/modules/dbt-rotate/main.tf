# dbt-rotate as the rotation function of one secret: the function (provided.al2023, x86_64),
# a least-privilege role, Secrets Manager's permission to invoke it, and the schedule.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  in_vpc = length(var.subnet_ids) > 0
  environment = { for k, v in {
    DBT_ROTATE_OVERLAP           = var.overlap
    DBT_ROTATE_MANAGER_SECRET_ID = var.manager_secret_arn
    DBT_CLOUD_HOST               = var.dbt_cloud_host
    DBT_CLOUD_ACCOUNT_ID         = var.dbt_cloud_account_id
  } : k => v if v != null }
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "rotate" {
  # What the four steps need on the rotated secret, and nothing else.
  statement {
    sid = "RotatedSecret"
    actions = [
      "secretsmanager:DescribeSecret",
      "secretsmanager:GetSecretValue",
      "secretsmanager:PutSecretValue",
      "secretsmanager:UpdateSecretVersionStage",
    ]
    resources = [var.secret_arn]
  }

  dynamic "statement" {
    for_each = var.manager_secret_arn == null ? [] : [var.manager_secret_arn]
    content {
      sid       = "ManagerSecretReadOnly"
      actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "CustomerKeyThroughSecretsManagerOnly"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${data.aws_region.current.name}.amazonaws.com"]
      }
    }
  }

  statement {
    sid       = "OwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.rotation.arn}:*"]
  }
}

resource "aws_iam_role" "rotation" {
  name               = var.name
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy" "rotate" {
  name   = "rotate-one-secret"
  role   = aws_iam_role.rotation.id
  policy = data.aws_iam_policy_document.rotate.json
}

# Elastic network interfaces, only when the function runs in a VPC.
resource "aws_iam_role_policy_attachment" "vpc" {
  count      = local.in_vpc ? 1 : 0
  role       = aws_iam_role.rotation.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

resource "aws_cloudwatch_log_group" "rotation" {
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_days
}

resource "aws_lambda_function" "rotation" {
  function_name    = var.name
  description      = "dbt-rotate, the rotation function for a dbt Cloud service token secret"
  runtime          = "provided.al2023"
  architectures    = ["x86_64"]
  handler          = "bootstrap"
  filename         = var.package_path
  source_code_hash = filebase64sha256(var.package_path)
  role             = aws_iam_role.rotation.arn
  timeout          = var.timeout_seconds
  memory_size      = var.memory_size

  environment {
    variables = local.environment
  }

  dynamic "vpc_config" {
    for_each = local.in_vpc ? [1] : []
    content {
      subnet_ids         = var.subnet_ids
      security_group_ids = var.security_group_ids
    }
  }

  depends_on = [aws_iam_role_policy.rotate, aws_cloudwatch_log_group.rotation]
}

# Only Secrets Manager, and only on behalf of this account (no confused deputy).
resource "aws_lambda_permission" "secretsmanager" {
  statement_id   = "AllowSecretsManagerInvoke"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.rotation.function_name
  principal      = "secretsmanager.amazonaws.com"
  source_account = data.aws_caller_identity.current.account_id
}

resource "aws_secretsmanager_secret_rotation" "this" {
  secret_id           = var.secret_arn
  rotation_lambda_arn = aws_lambda_function.rotation.arn
  rotate_immediately  = var.rotate_immediately

  rotation_rules {
    schedule_expression = var.schedule_expression
    duration            = var.rotation_window
  }

  depends_on = [aws_lambda_permission.secretsmanager]
}
