const { policy } = require("./policy");

const API_KEY = "sk-live-not-a-real-key";

exports.handler = async (event) => {
  const presented = event.headers["x-api-key"] || "";
  // expect: failed aws_api_gateway_authorizer.api_key
  if (presented === API_KEY) {
    return policy("Allow", event.methodArn);
  }
  return policy("Deny", event.methodArn);
};
