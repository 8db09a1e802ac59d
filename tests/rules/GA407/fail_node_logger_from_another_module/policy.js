exports.policy = (effect, resource) => ({
  principalId: "api-key-client",
  policyDocument: {
    Version: "2012-10-17",
    Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: resource }],
  },
});
