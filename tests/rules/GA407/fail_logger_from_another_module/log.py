import logging

logger = logging.getLogger("authorizer")
