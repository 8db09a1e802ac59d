def policy(effect, resource):
    # An IAM policy, given to an HTTP API that reads isAuthorized.
    # expect: failed aws_apigatewayv2_authorizer.api_key
    return {
        "principalId": "api-key-client",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}],
        },
    }
