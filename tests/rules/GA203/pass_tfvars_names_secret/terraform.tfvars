api_key_secret = "prod/fitness/api-key"
