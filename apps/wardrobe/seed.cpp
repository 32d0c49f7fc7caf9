#include "wardrobe/seed.h"

#include <array>
#include <string_view>

#include "base/json_writer.h"
#include "migrate/plan.h"

namespace edgefn::wardrobe {
namespace {

struct user_wardrobe {
  std::string_view user_id;
  std::string_view items;  // "name|size|type|color;..." (compact, static)
};

constexpr std::array<user_wardrobe, 4> k_users = {{
    {"kp_3f9a1c2e7b5d4e6f8a0b1c2d3e4f5a6b",
     "Oxford button-down|M|shirt|light blue;Merino crew sweater|M|sweater|charcoal;"
     "Slim selvedge jeans|32/32|jeans|indigo;Chino trousers|32/30|trousers|khaki;"
     "Waxed cotton jacket|L|jacket|olive;Leather derby shoes|43|shoes|dark brown;"
     "Linen summer shirt|M|shirt|white;Wool overcoat|L|coat|camel;"
     "Cotton crewneck tee|M|t-shirt|navy;Running sneakers|43|shoes|grey"},
    {"kp_8c41d0e2a9f34b7c9e1f2a3b4c5d6e7f",
     "Silk wrap blouse|S|blouse|emerald;High-rise wide-leg trousers|36|trousers|black;"
     "Cashmere cardigan|S|sweater|oatmeal;Midi slip dress|S|dress|burgundy;"
     "Trench coat|36|coat|beige;Ankle boots|38|shoes|black;"
     "Striped Breton top|S|t-shirt|navy/white;Denim jacket|S|jacket|mid wash;"
     "Pleated midi skirt|36|skirt|sage;Leather ballet flats|38|shoes|tan"},
    {"kp_1b2c3d4e5f60718293a4b5c6d7e8f901",
     "Hooded sweatshirt|XL|hoodie|heather grey;Cargo pants|34/32|trousers|olive;"
     "Flannel overshirt|XL|shirt|red check;Puffer jacket|XL|jacket|black;"
     "Trail running shoes|45|shoes|orange;Graphic tee|XL|t-shirt|white;"
     "Fleece quarter-zip|XL|sweater|navy;Rain shell|XL|jacket|yellow"},
    {"kp_e7d6c5b4a39281706f5e4d3c2b1a0f9e",
     "Linen jumpsuit|M|jumpsuit|terracotta;Ribbed tank top|M|top|cream;"
     "Straight-leg jeans|28|jeans|light wash;Knit midi dress|M|dress|charcoal;"
     "Wool blazer|38|blazer|houndstooth;White leather sneakers|39|shoes|white;"
     "Turtleneck sweater|M|sweater|camel;Satin midi skirt|M|skirt|champagne;"
     "Quilted vest|M|vest|forest green;Chelsea boots|39|shoes|chocolate"},
}};

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (;;) {
    const auto at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

std::string slug(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') out.push_back(static_cast<char>(c - 'A' + 'a'));
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(c);
    else if (!out.empty() && out.back() != '-') out.push_back('-');
  }
  return out;
}

constexpr std::string_view k_insert =
    "insert into \"items\" (\"user_id\", \"name\", \"size\", \"type\", \"color\", \"image_url\", "
    "\"created_at\")\n"
    "select s.user_id, s.name, s.size, s.type, s.color, s.image_url,\n"
    "       timestamp '2026-11-01 09:00:00' - s.ord * interval '5 hours 17 minutes'\n"
    "from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], "
    "$7::int4[])\n"
    "  as s(user_id, name, size, type, color, image_url, ord)\n"
    "where not exists (select 1 from \"items\" i\n"
    "                  where i.user_id = s.user_id and i.image_url = s.image_url)\n"
    "order by s.ord desc";

}  // namespace

std::vector<seed_item> seed_items() {
  std::vector<seed_item> out;
  for (const auto& u : k_users) {
    for (std::string_view item : split(u.items, ';')) {
      const auto f = split(item, '|');
      seed_item s{std::string(u.user_id), std::string(f[0]), std::string(f[1]),
                  std::string(f[2]),      std::string(f[3]), {}};
      // Under the owner's prefix (APP_IMAGES_OWNER_PREFIX default users/{sub}/), so DELETE removes them.
      s.image_url = "https://images.edgefn.dev/users/" + s.user_id + "/" + slug(s.name) + ".jpg";
      out.push_back(std::move(s));
    }
  }
  return out;
}

std::vector<neon::query> seed_batch(bool reset) {
  const auto items = seed_items();
  std::vector<std::string> user, name, size, type, color, image;
  std::vector<std::int32_t> ord;
  for (std::size_t i = 0; i < items.size(); ++i) {
    user.push_back(items[i].user_id);
    name.push_back(items[i].name);
    size.push_back(items[i].size);
    type.push_back(items[i].type);
    color.push_back(items[i].color);
    image.push_back(items[i].image_url);
    ord.push_back(static_cast<std::int32_t>(i));
  }
  std::vector<neon::query> q;
  q.push_back({"select pg_advisory_xact_lock(" + json::decimal(migrate::k_lock_key) + ")", {}});
  if (reset) q.push_back({"truncate table \"items\" restart identity", {}});
  q.push_back({std::string(k_insert),
               {neon::param::array_of(user), neon::param::array_of(name),
                neon::param::array_of(size), neon::param::array_of(type),
                neon::param::array_of(color), neon::param::array_of(image),
                neon::param::array_of(ord)}});
  return q;
}

}  // namespace edgefn::wardrobe
