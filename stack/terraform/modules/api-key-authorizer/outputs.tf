output "function_name" {
  description = "Name of the authorizer function (for the API's aws_lambda_permission)."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the authorizer function."
  value       = aws_lambda_function.this.arn
}

output "invoke_arn" {
  description = "Invocation URI of the authorizer function, for authorizer_uri."
  value       = aws_lambda_function.this.invoke_arn
}

output "secret_arn" {
  description = "ARN of the Secrets Manager secret holding the API key (the value is never an output)."
  value       = aws_secretsmanager_secret.api_key.arn
}

output "role_arn" {
  description = "ARN of the function's execution role."
  value       = aws_iam_role.this.arn
}

output "log_group_name" {
  description = "Name of the function's CloudWatch Logs group."
  value       = aws_cloudwatch_log_group.this.name
}
