#pragma once
// The gateway's HTTP/1.1 server: the shared server (http/server.h) under the gateway's names.
// Request targets keep the query string: the WebSocket endpoint reads its `address` parameter.

#include "http/server.h"

namespace edgefn::gateway {

/// Server limits and timeouts.
using http_config = httpd::server_options;

using http_request = httpd::request;
using http_response = httpd::response;
using client_link = httpd::client_link;
using http_handler = httpd::handler;
using http_server = httpd::server;

}  // namespace edgefn::gateway
