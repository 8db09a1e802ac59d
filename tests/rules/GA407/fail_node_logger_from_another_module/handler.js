const log = require("./log");
const { policy } = require("./policy");

exports.handler = async (event) => {
  // expect: failed aws_api_gateway_authorizer.api_key
  log.info({ headers: event.headers }, "authorizing");
  log.info(`request ${event.requestContext.requestId}`);
  return policy("Deny", event.methodArn);
};
