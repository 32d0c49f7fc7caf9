#pragma once
// The `edgefn serve` HTTP/1.1 server: the shared server (http/server.h) under the server's
// names. Request targets keep the query string ("/p?q"): the API routes parse it.

#include "http/server.h"

namespace edgefn::server {

using http_config = httpd::server_options;
using http_request = httpd::request;
using http_response = httpd::response;
using client_link = httpd::client_link;
using http_handler = httpd::handler;
using http_server = httpd::server;

}  // namespace edgefn::server
