#include "db/snapshot.h"

#include <gtest/gtest.h>

#include "test_schema.h"
#include "wardrobe/schema.h"

namespace db = edgefn::db;
using edgefn::padded_buffer;

namespace {

// What drizzle-kit 0.31 writes to meta/0002_snapshot.json for the wardrobe schema.
const char* const k_wardrobe_snapshot = R"J({
  "id": "11111111-1111-4111-8111-111111111111",
  "prevId": "00000000-0000-0000-0000-000000000000",
  "version": "7",
  "dialect": "postgresql",
  "tables": {
    "public.items": {
      "name": "items",
      "schema": "",
      "columns": {
        "id": {
          "name": "id",
          "type": "serial",
          "primaryKey": true,
          "notNull": true
        },
        "user_id": {
          "name": "user_id",
          "type": "text",
          "primaryKey": false,
          "notNull": true
        },
        "name": {
          "name": "name",
          "type": "varchar(256)",
          "primaryKey": false,
          "notNull": false
        },
        "size": {
          "name": "size",
          "type": "varchar(256)",
          "primaryKey": false,
          "notNull": false
        },
        "type": {
          "name": "type",
          "type": "varchar(256)",
          "primaryKey": false,
          "notNull": false
        },
        "color": {
          "name": "color",
          "type": "varchar(256)",
          "primaryKey": false,
          "notNull": false
        },
        "created_at": {
          "name": "created_at",
          "type": "timestamp",
          "primaryKey": false,
          "notNull": false,
          "default": "now()"
        },
        "image_url": {
          "name": "image_url",
          "type": "text",
          "primaryKey": false,
          "notNull": true
        }
      },
      "indexes": {
        "name_idx": {
          "name": "name_idx",
          "columns": [
            {
              "expression": "user_id",
              "isExpression": false,
              "asc": true,
              "nulls": "last"
            }
          ],
          "isUnique": false,
          "concurrently": false,
          "method": "btree",
          "with": {}
        }
      },
      "foreignKeys": {},
      "compositePrimaryKeys": {},
      "uniqueConstraints": {},
      "policies": {},
      "checkConstraints": {},
      "isRLSEnabled": false
    }
  },
  "enums": {},
  "schemas": {},
  "sequences": {},
  "roles": {},
  "policies": {},
  "views": {},
  "_meta": {
    "columns": {},
    "schemas": {},
    "tables": {}
  }
})J";

}  // namespace

TEST(db_snapshot, wardrobe_snapshot_matches_drizzle_kit) {
  EXPECT_EQ(db::snapshot_json(edgefn::wardrobe::schema(), "11111111-1111-4111-8111-111111111111", db::origin_uuid),
            k_wardrobe_snapshot);
}

TEST(db_snapshot, records_enums_defaults_foreign_keys_and_uniques) {
  const auto model = db::model_of<test_schema::users_table, test_schema::posts_table>();
  const std::string json = db::snapshot_json(model, "a", "b");
  EXPECT_NE(json.find(R"J("public.users": {)J"), std::string::npos);
  EXPECT_NE(json.find(R"J("type": "role",
          "typeSchema": "public",
          "primaryKey": false,
          "notNull": true,
          "default": "'member'")J"),
            std::string::npos);
  EXPECT_NE(json.find(R"J("type": "boolean",
          "primaryKey": false,
          "notNull": true,
          "default": true)J"),
            std::string::npos);
  EXPECT_NE(json.find(R"J("type": "numeric(10, 2)")J"), std::string::npos);
  EXPECT_NE(json.find(R"J("type": "timestamp with time zone")J"), std::string::npos);
  EXPECT_NE(json.find(R"J("default": "gen_random_uuid()")J"), std::string::npos);
  EXPECT_NE(json.find(R"J("posts_author_id_users_id_fk": {
          "name": "posts_author_id_users_id_fk",
          "tableFrom": "posts",
          "tableTo": "users",
          "columnsFrom": [
            "author_id"
          ],
          "columnsTo": [
            "id"
          ],
          "onDelete": "cascade",
          "onUpdate": "no action"
        })J"),
            std::string::npos);
  EXPECT_NE(json.find(R"J("users_email_unique": {
          "name": "users_email_unique",
          "nullsNotDistinct": false,
          "columns": [
            "email"
          ]
        })J"),
            std::string::npos);
  EXPECT_NE(json.find(R"J("public.role": {
      "name": "role",
      "schema": "public",
      "values": [
        "admin",
        "member"
      ]
    })J"),
            std::string::npos);
}

TEST(db_snapshot, parses_back_to_the_same_model) {
  const auto model = db::model_of<test_schema::users_table, test_schema::posts_table>();
  auto parsed = db::parse_snapshot(padded_buffer(db::snapshot_json(model, "id-1", "prev-1")));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->id, "id-1");
  EXPECT_EQ(parsed->prev_id, "prev-1");
  ASSERT_EQ(parsed->schema.tables.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& a = parsed->schema.tables[i];
    const auto& b = model.tables[i];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.columns, b.columns);
    EXPECT_EQ(a.indexes, b.indexes);
    EXPECT_EQ(a.foreign_keys, b.foreign_keys);
    EXPECT_EQ(a.unique_constraints, b.unique_constraints);
  }
  EXPECT_EQ(parsed->schema.enums, model.enums);
}

TEST(db_snapshot, rejects_bad_snapshots) {
  EXPECT_EQ(db::parse_snapshot(padded_buffer("{")).error().code, edgefn::errc::parse_error);
  EXPECT_EQ(db::parse_snapshot(padded_buffer(R"J({"version":"5","dialect":"postgresql"})J")).error().code,
            edgefn::errc::unsupported);
  EXPECT_EQ(db::parse_snapshot(padded_buffer(R"J({"version":"7","dialect":"postgresql","tables":[]})J")).error().code,
            edgefn::errc::parse_error);
}
