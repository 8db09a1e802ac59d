api_key = "fitness-4f1c9a7e2b8d6035"
