#include "core/quantity.h"

#include <ostream>

namespace combo::core {

std::ostream& operator<<(std::ostream& os, Quantity q) { return os << q.value(); }
std::ostream& operator<<(std::ostream& os, SignedQuantity q) { return os << q.value(); }

}  // namespace combo::core
