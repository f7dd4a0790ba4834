#include "core/combo_catalog.h"

#include "gtest/gtest.h"

namespace combo::core {
namespace {

ComboSpec Spec(std::vector<ComboLeg> legs) { return *ComboSpec::Create(std::move(legs)); }

TEST(ComboCatalog, SameCanonicalComboGetsTheSameId) {
  ComboCatalog catalog;
  const ComboSpec vertical =
      Spec({{InstrumentId(1), 1, Side::kBuy}, {InstrumentId(2), 1, Side::kSell}});
  const ComboSpec client_mirror =
      Spec({{InstrumentId(2), 2, Side::kBuy}, {InstrumentId(1), 2, Side::kSell}});
  const ComboId first = *catalog.Intern(vertical);
  const ComboId second = *catalog.Intern(Canonicalize(client_mirror).spec);
  EXPECT_EQ(first, second);
  EXPECT_EQ(first, ComboId(1));
  EXPECT_EQ(*catalog.Find(first), vertical);
  EXPECT_EQ(catalog.size(), 1u);
}

TEST(ComboCatalog, DifferentCombosGetIdsInOrder) {
  ComboCatalog catalog;
  const ComboId a =
      *catalog.Intern(Spec({{InstrumentId(1), 1, Side::kBuy}, {InstrumentId(2), 1, Side::kSell}}));
  const ComboId b =
      *catalog.Intern(Spec({{InstrumentId(1), 1, Side::kBuy}, {InstrumentId(3), 1, Side::kSell}}));
  EXPECT_EQ(a, ComboId(1));
  EXPECT_EQ(b, ComboId(2));
  EXPECT_EQ(catalog.Lookup(*catalog.Find(b)), b);
  EXPECT_EQ(catalog.Find(ComboId(3)), nullptr);
  EXPECT_EQ(catalog.Find(ComboId(0)), nullptr);
}

TEST(ComboCatalog, RefusesANonCanonicalSpec) {
  ComboCatalog catalog;
  auto id =
      catalog.Intern(Spec({{InstrumentId(2), 1, Side::kBuy}, {InstrumentId(1), 1, Side::kSell}}));
  EXPECT_EQ(id.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(catalog.size(), 0u);
}

}  // namespace
}  // namespace combo::core
