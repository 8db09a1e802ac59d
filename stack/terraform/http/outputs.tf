output "invoke_url" {
  description = "Base URL of the stage."
  value       = aws_apigatewayv2_stage.api.invoke_url
}

output "items_url" {
  description = "URL of the /items routes (send the key in the x-api-key header)."
  value       = "${trimsuffix(aws_apigatewayv2_stage.api.invoke_url, "/")}/items"
}

output "api_key_secret_arn" {
  description = "ARN of the Secrets Manager secret holding the API key (read the value with the AWS CLI, never from Terraform)."
  value       = module.authorizer.secret_arn
}

output "authorizer_function_name" {
  description = "Name of the Lambda authorizer function."
  value       = module.authorizer.function_name
}

output "authorizer_log_group_name" {
  description = "CloudWatch Logs group of the authorizer's decisions."
  value       = module.authorizer.log_group_name
}

output "access_log_group_name" {
  description = "CloudWatch Logs group of the stage's access logs."
  value       = aws_cloudwatch_log_group.access.name
}
