#include "api/openapi.h"

namespace edgefn::api {
namespace {

// Kept as one raw literal so it is reviewed as the document it is.
constexpr std::string_view k_document = R"json({
"openapi":"3.1.0",
"info":{"title":"edgefn wardrobe API","version":"1.0.0","description":"Every /api/wardrobe route acts for the authenticated user (the JWT's sub) only. Errors use {\"error\":{\"code\",\"message\",\"fields\"?}}; every response carries X-Request-Id."},
"servers":[{"url":"/"}],
"security":[{"bearer":[]}],
"paths":{
"/healthz":{"get":{"operationId":"health","security":[],"summary":"Liveness (no auth, no database)","responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"type":"object","properties":{"status":{"const":"ok"}},"required":["status"]}}}},"405":{"$ref":"#/components/responses/MethodNotAllowed"}}}},
"/api/openapi.json":{"get":{"operationId":"openapi","security":[],"summary":"This document","responses":{"200":{"description":"the OpenAPI document","content":{"application/json":{"schema":{"type":"object"}}}}}}},
"/api/wardrobe":{
"get":{"operationId":"listItems","summary":"The user's items, newest first (created_at desc, id desc)","parameters":[
{"name":"limit","in":"query","schema":{"type":"integer","minimum":1,"maximum":100,"default":100}},
{"name":"cursor","in":"query","description":"opaque: the nextCursor of the previous page","schema":{"type":"string"}},
{"name":"type","in":"query","schema":{"type":"string"}},
{"name":"color","in":"query","schema":{"type":"string"}},
{"name":"size","in":"query","schema":{"type":"string"}}],
"responses":{"200":{"description":"a page of items","content":{"application/json":{"schema":{"$ref":"#/components/schemas/ItemPage"}}}},"400":{"$ref":"#/components/responses/ValidationFailed"},"401":{"$ref":"#/components/responses/Unauthorized"},"500":{"$ref":"#/components/responses/Internal"},"503":{"$ref":"#/components/responses/Unavailable"}}},
"post":{"operationId":"createItem","summary":"Create an item","requestBody":{"required":true,"content":{"application/json":{"schema":{"$ref":"#/components/schemas/ItemCreate"}}}},
"responses":{"201":{"description":"created","headers":{"Location":{"schema":{"type":"string"},"description":"/api/wardrobe/{id}"}},"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Item"}}}},"400":{"$ref":"#/components/responses/BadBody"},"401":{"$ref":"#/components/responses/Unauthorized"},"413":{"$ref":"#/components/responses/TooLarge"},"415":{"$ref":"#/components/responses/MediaType"},"500":{"$ref":"#/components/responses/Internal"},"503":{"$ref":"#/components/responses/Unavailable"}}}},
"/api/wardrobe/total-items":{"get":{"operationId":"totalItems","summary":"How many items the user has","responses":{"200":{"description":"the count","content":{"application/json":{"schema":{"type":"object","properties":{"total":{"type":"integer"}},"required":["total"]}}}},"401":{"$ref":"#/components/responses/Unauthorized"},"500":{"$ref":"#/components/responses/Internal"},"503":{"$ref":"#/components/responses/Unavailable"}}}},
"/api/wardrobe/{id}":{
"parameters":[{"name":"id","in":"path","required":true,"description":"1..2147483647; anything else is 404","schema":{"type":"integer","minimum":1,"maximum":2147483647}}],
"get":{"operationId":"getItem","responses":{"200":{"description":"the item","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Item"}}}},"401":{"$ref":"#/components/responses/Unauthorized"},"404":{"$ref":"#/components/responses/NotFound"},"500":{"$ref":"#/components/responses/Internal"},"503":{"$ref":"#/components/responses/Unavailable"}}},
"put":{"operationId":"updateItem","summary":"Partial update of name, size, type, color, imageUrl","requestBody":{"required":true,"content":{"application/json":{"schema":{"$ref":"#/components/schemas/ItemUpdate"}}}},"responses":{"200":{"description":"the updated item","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Item"}}}},"400":{"$ref":"#/components/responses/BadBody"},"401":{"$ref":"#/components/responses/Unauthorized"},"404":{"$ref":"#/components/responses/NotFound"},"413":{"$ref":"#/components/responses/TooLarge"},"415":{"$ref":"#/components/responses/MediaType"},"500":{"$ref":"#/components/responses/Internal"},"503":{"$ref":"#/components/responses/Unavailable"}}},
"delete":{"operationId":"deleteItem","summary":"Delete the item, then its image object","responses":{"200":{"description":"the deleted item","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Item"}}}},"401":{"$ref":"#/components/responses/Unauthorized"},"404":{"$ref":"#/components/responses/NotFound"},"500":{"$ref":"#/components/responses/Internal"},"503":{"$ref":"#/components/responses/Unavailable"}}}}},
"components":{
"securitySchemes":{"bearer":{"type":"http","scheme":"bearer","bearerFormat":"JWT (RS256 or ES256 via JWKS; HS256 in development)"}},
"schemas":{
"Item":{"type":"object","additionalProperties":false,"required":["id","userId","name","size","type","color","createdAt","imageUrl"],"properties":{"id":{"type":"integer"},"userId":{"type":"string"},"name":{"type":["string","null"],"maxLength":256},"size":{"type":["string","null"],"maxLength":256},"type":{"type":["string","null"],"maxLength":256},"color":{"type":["string","null"],"maxLength":256},"createdAt":{"type":["string","null"],"format":"date-time","examples":["2026-11-22T05:04:03.123Z"]},"imageUrl":{"type":"string","format":"uri","maxLength":2048}}},
"ItemCreate":{"type":"object","additionalProperties":false,"required":["imageUrl"],"properties":{"name":{"type":["string","null"],"maxLength":256},"size":{"type":["string","null"],"maxLength":256},"type":{"type":["string","null"],"maxLength":256},"color":{"type":["string","null"],"maxLength":256},"imageUrl":{"type":"string","format":"uri","pattern":"^https?://","maxLength":2048}}},
"ItemUpdate":{"type":"object","additionalProperties":false,"minProperties":1,"properties":{"name":{"type":["string","null"],"maxLength":256},"size":{"type":["string","null"],"maxLength":256},"type":{"type":["string","null"],"maxLength":256},"color":{"type":["string","null"],"maxLength":256},"imageUrl":{"type":"string","format":"uri","pattern":"^https?://","maxLength":2048}}},
"ItemPage":{"type":"object","required":["items"],"properties":{"items":{"type":"array","maxItems":100,"items":{"$ref":"#/components/schemas/Item"}},"nextCursor":{"type":"string","description":"present when there are more items"}}},
"Error":{"type":"object","required":["error"],"properties":{"error":{"type":"object","required":["code","message"],"properties":{"code":{"enum":["invalid_json","validation_failed","unauthorized","not_found","method_not_allowed","payload_too_large","unsupported_media_type","service_unavailable","internal"]},"message":{"type":"string"},"fields":{"type":"object","additionalProperties":{"type":"string"}}}}}}},
"responses":{
"ValidationFailed":{"description":"validation_failed (fields per parameter)","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Error"}}}},
"BadBody":{"description":"invalid_json, or validation_failed with fields (unknown fields, wrong types, over 256 characters, imageUrl missing or not an absolute http(s) URL up to 2048 characters, NUL characters)","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Error"}}}},
"Unauthorized":{"description":"unauthorized: missing, malformed, expired or wrongly signed token","headers":{"WWW-Authenticate":{"schema":{"type":"string"}}},"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Error"}}}},
"NotFound":{"description":"not_found: no such item for this user (also for ids that are not 1..2147483647)","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Error"}}}},
"MethodNotAllowed":{"description":"method_not_allowed","headers":{"Allow":{"schema":{"type":"string"}}},"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Error"}}}},
"TooLarge":{"description":"payload_too_large: body over 64 KiB","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Error"}}}},
"MediaType":{"description":"unsupported_media_type: body not application/json","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Error"}}}},
"Internal":{"description":"internal: the message carries the request id","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Error"}}}},
"Unavailable":{"description":"service_unavailable: the database is unreachable","headers":{"Retry-After":{"schema":{"type":"integer","const":5}}},"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Error"}}}}}}
})json";

}  // namespace

std::string_view openapi_json() noexcept { return k_document; }

}  // namespace edgefn::api
