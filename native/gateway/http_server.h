#pragma once
// The gateway's HTTP/1.1 server: the shared server (http/server.h) under the gateway's names.
// Request targets are the path only (the query string is dropped): the gateway routes on it.

#include "http/server.h"

namespace edgefn::gateway {

/// Server limits and timeouts; `keep_query` defaults to false here.
struct http_config : httpd::server_options {
  http_config() { keep_query = false; }
};

using http_request = httpd::request;
using http_response = httpd::response;
using client_link = httpd::client_link;
using http_handler = httpd::handler;
using http_server = httpd::server;

}  // namespace edgefn::gateway
