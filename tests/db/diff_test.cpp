#include "db/diff.h"

#include <gtest/gtest.h>

#include "db/snapshot.h"
#include "test_schema.h"
#include "wardrobe/schema.h"

namespace db = edgefn::db;
using strings = std::vector<std::string>;

namespace {

db::table_model& table(db::schema_model& s, std::string_view name) {
  for (auto& t : s.tables)
    if (t.name == name) return t;
  std::abort();
}

db::column_model& column(db::schema_model& s, std::string_view t, std::string_view c) {
  for (auto& col : table(s, t).columns)
    if (col.name == c) return col;
  std::abort();
}

db::schema_model test_model() { return db::model_of<test_schema::users_table, test_schema::posts_table>(); }

}  // namespace

TEST(db_diff, wardrobe_migrations_0000_to_0002) {
  const auto h = edgefn::wardrobe::history();
  ASSERT_EQ(h.size(), 3u);
  const auto m0 = db::diff({}, h[0]);
  EXPECT_EQ(db::migration_sql(m0),
            "CREATE TABLE \"items\" (\n"
            "\t\"id\" serial PRIMARY KEY NOT NULL,\n"
            "\t\"user_id\" text NOT NULL,\n"
            "\t\"name\" varchar(256),\n"
            "\t\"size\" varchar(256),\n"
            "\t\"type\" varchar(256),\n"
            "\t\"color\" varchar(256)\n"
            ");\n"
            "--> statement-breakpoint\n"
            "CREATE INDEX \"name_idx\" ON \"items\" USING btree (\"user_id\");");
  EXPECT_EQ(db::diff(h[0], h[1]), strings{R"(ALTER TABLE "items" ADD COLUMN "created_at" timestamp DEFAULT now();)"});
  EXPECT_EQ(db::diff(h[1], h[2]), strings{R"(ALTER TABLE "items" ADD COLUMN "image_url" text NOT NULL;)"});
  EXPECT_TRUE(db::diff(h[2], edgefn::wardrobe::schema()).empty());
}

TEST(db_diff, diff_against_a_parsed_snapshot_is_empty_when_nothing_changed) {
  const auto model = test_model();
  auto snap = db::parse_snapshot(edgefn::padded_buffer(db::snapshot_json(model, "a", "b")));
  ASSERT_TRUE(snap);
  EXPECT_TRUE(db::diff(snap->schema, model).empty());
}

TEST(db_diff, create_schema_with_enum_foreign_keys_uniques_and_indexes) {
  const auto out = db::diff({}, test_model());
  ASSERT_EQ(out.size(), 7u);
  EXPECT_EQ(out[0], R"(CREATE TYPE "public"."role" AS ENUM('admin', 'member');)");
  EXPECT_EQ(out[1],
            "CREATE TABLE \"users\" (\n\t\"id\" serial PRIMARY KEY NOT NULL,\n\t\"email\" varchar(320) NOT NULL,\n"
            "\t\"name\" varchar(8),\n\t\"role\" \"role\" DEFAULT 'member' NOT NULL,\n\t\"active\" boolean DEFAULT true NOT NULL,\n"
            "\t\"karma\" bigint,\n\t\"balance\" numeric(10, 2),\n\t\"score\" real,\n\t\"ratio\" double precision,\n"
            "\t\"seen_at\" timestamp with time zone,\n\t\"birthday\" date,\n\t\"token\" uuid DEFAULT gen_random_uuid() NOT NULL,\n"
            "\t\"prefs\" jsonb,\n\t\"age\" integer NOT NULL,\n\tCONSTRAINT \"users_email_unique\" UNIQUE(\"email\")\n);\n");
  EXPECT_EQ(out[2],
            "CREATE TABLE \"posts\" (\n\t\"id\" serial PRIMARY KEY NOT NULL,\n\t\"author_id\" integer NOT NULL,\n"
            "\t\"editor_id\" integer,\n\t\"title\" text NOT NULL,\n\t\"rank\" integer DEFAULT 0 NOT NULL\n);\n");
  EXPECT_EQ(out[3], R"(ALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;)");
  EXPECT_EQ(out[4], R"(ALTER TABLE "posts" ADD CONSTRAINT "posts_editor_id_users_id_fk" FOREIGN KEY ("editor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;)");
  EXPECT_EQ(out[5], R"(CREATE INDEX "posts_author_title_idx" ON "posts" USING btree ("author_id","title");)");
  EXPECT_EQ(out[6], R"(CREATE UNIQUE INDEX "posts_title_idx" ON "posts" USING btree ("title");)");
}

TEST(db_diff, drop_table_and_drop_enum) {
  auto prev = test_model();
  db::schema_model cur;
  EXPECT_EQ(db::diff(prev, cur), (strings{R"(DROP TABLE "users" CASCADE;)", R"(DROP TABLE "posts" CASCADE;)",
                                          R"(DROP TYPE "public"."role";)"}));
}

TEST(db_diff, column_type_not_null_and_default_changes) {
  const auto prev = test_model();
  auto cur = prev;
  column(cur, "users", "name").type = "varchar(16)";
  column(cur, "users", "name").not_null = true;
  column(cur, "posts", "rank").default_value = "1";
  column(cur, "posts", "title").not_null = false;
  column(cur, "users", "active").default_value.reset();
  column(cur, "users", "age").type = "bigint";
  column(cur, "users", "age").default_value = "0";
  column(cur, "users", "age").default_is_literal = true;
  EXPECT_EQ(db::diff(prev, cur),
            (strings{R"(ALTER TABLE "users" ALTER COLUMN "name" SET DATA TYPE varchar(16);)",
                     R"(ALTER TABLE "users" ALTER COLUMN "name" SET NOT NULL;)",
                     R"(ALTER TABLE "users" ALTER COLUMN "active" DROP DEFAULT;)",
                     R"(ALTER TABLE "users" ALTER COLUMN "age" SET DATA TYPE bigint;)",
                     R"(ALTER TABLE "users" ALTER COLUMN "age" SET DEFAULT 0;)",
                     R"(ALTER TABLE "users" ALTER COLUMN "age" SET DEFAULT 0;)",
                     R"(ALTER TABLE "posts" ALTER COLUMN "title" DROP NOT NULL;)",
                     R"(ALTER TABLE "posts" ALTER COLUMN "rank" SET DEFAULT 1;)"}));
}

TEST(db_diff, add_and_drop_columns_indexes_and_foreign_keys) {
  const auto prev = test_model();
  auto cur = prev;
  auto& posts = table(cur, "posts");
  posts.columns.erase(posts.columns.begin() + 2);  // editor_id, and its foreign key
  posts.foreign_keys.pop_back();
  posts.indexes.erase(posts.indexes.begin());      // posts_author_title_idx
  posts.indexes.push_back({"posts_rank_idx", {{"rank", false, false, "first"}}});
  posts.columns.push_back({"slug", "text", "", false, true, "'x'", false});
  EXPECT_EQ(db::diff(prev, cur),
            (strings{"ALTER TABLE \"posts\" DROP CONSTRAINT \"posts_editor_id_users_id_fk\";\n",
                     R"(DROP INDEX "posts_author_title_idx";)",
                     R"(ALTER TABLE "posts" ADD COLUMN "slug" text DEFAULT 'x' NOT NULL;)",
                     R"(CREATE INDEX "posts_rank_idx" ON "posts" USING btree ("rank" DESC NULLS FIRST);)",
                     R"(ALTER TABLE "posts" DROP COLUMN "editor_id";)"}));
}

TEST(db_diff, unique_constraints_composite_keys_and_enum_values) {
  const auto prev = test_model();
  auto cur = prev;
  cur.enums[0].values = {"admin", "editor", "member", "guest"};
  table(cur, "users").unique_constraints.clear();
  table(cur, "posts").unique_constraints.push_back({"posts_author_rank_unique", {"author_id", "rank"}});
  table(cur, "posts").composite_primary_keys.push_back({"posts_id_author_id_pk", {"id", "author_id"}});
  EXPECT_EQ(db::diff(prev, cur),
            (strings{R"(ALTER TYPE "public"."role" ADD VALUE 'editor' BEFORE 'member';)",
                     R"(ALTER TYPE "public"."role" ADD VALUE 'guest';)",
                     R"(ALTER TABLE "users" DROP CONSTRAINT "users_email_unique";)",
                     R"(ALTER TABLE "posts" ADD CONSTRAINT "posts_id_author_id_pk" PRIMARY KEY("id","author_id");)",
                     R"(ALTER TABLE "posts" ADD CONSTRAINT "posts_author_rank_unique" UNIQUE("author_id","rank");)"}));
}

TEST(db_diff, column_to_enum_type_change) {
  auto prev = test_model();
  auto cur = prev;
  column(prev, "users", "role").type = "text";
  column(prev, "users", "role").type_schema.clear();
  EXPECT_EQ(db::diff(prev, cur),
            (strings{R"(ALTER TABLE "users" ALTER COLUMN "role" SET DEFAULT 'member'::"public"."role";)",
                     R"(ALTER TABLE "users" ALTER COLUMN "role" SET DATA TYPE "public"."role" USING "role"::"public"."role";)"}));
}

TEST(db_diff, migration_sql_without_breakpoints) {
  const strings s{"A;", "B;"};
  EXPECT_EQ(db::migration_sql(s, false), "A;\nB;");
  EXPECT_EQ(db::migration_sql(s), "A;--> statement-breakpoint\nB;");
}

namespace {
struct priced {
  std::int32_t id = 0;
  std::int32_t price = 0;
};
struct priced_table {
  using row = priced;
  static constexpr std::string_view name = "priced";
  static constexpr auto id = db::serial<&priced::id>(name, "id").primary_key();
  static constexpr auto price = db::integer<&priced::price>(name, "price");
  static constexpr auto columns = std::tuple{id, price};
  static constexpr std::array checks{db::check("price_positive", "\"price\" > 0")};
};
}  // namespace

TEST(db_diff, check_constraints_created_added_dropped_and_kept_in_snapshots) {
  const auto model = db::model_of<priced_table>();
  ASSERT_EQ(model.tables.front().check_constraints.size(), 1u);
  EXPECT_EQ(db::diff({}, model),
            strings{"CREATE TABLE \"priced\" (\n\t\"id\" serial PRIMARY KEY NOT NULL,\n\t\"price\" integer NOT NULL,\n"
                    "\tCONSTRAINT \"price_positive\" CHECK (\"price\" > 0)\n);\n"});
  const std::string json = db::snapshot_json(model, "a", "b");
  EXPECT_NE(json.find("\"checkConstraints\": {\n        \"price_positive\": {\n          \"name\": \"price_positive\",\n"
                      "          \"value\": \"\\\"price\\\" > 0\"\n        }\n      }"),
            std::string::npos)
      << json;
  auto snap = db::parse_snapshot(edgefn::padded_buffer(json));
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->schema.tables.front().check_constraints, model.tables.front().check_constraints);
  EXPECT_TRUE(db::diff(snap->schema, model).empty());

  auto without = model;
  without.tables.front().check_constraints.clear();
  EXPECT_EQ(db::diff(model, without), strings{R"(ALTER TABLE "priced" DROP CONSTRAINT "price_positive";)"});
  EXPECT_EQ(db::diff(without, model), strings{R"(ALTER TABLE "priced" ADD CONSTRAINT "price_positive" CHECK ("price" > 0);)"});
}
