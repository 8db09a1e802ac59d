export function policy(effect: "Allow" | "Deny", resource: string) {
  return {
    principalId: "api-key-client",
    policyDocument: {
      Version: "2012-10-17",
      Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: resource }],
    },
  };
}
