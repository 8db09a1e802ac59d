from policies import policy


def handler(event, context):
    return policy("Deny", event["routeArn"])
