output "function_arn" {
  value = aws_lambda_function.rotation.arn
}

output "role_arn" {
  value = aws_iam_role.rotation.arn
}

output "log_group" {
  value = aws_cloudwatch_log_group.rotation.name
}
