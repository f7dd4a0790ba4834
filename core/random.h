// Rng: the project's only random source, always explicitly seeded.
//
// Venue latency jitter, AOP tie-breaks and the market simulator draw from an Rng built from a
// configured seed, so a run repeats exactly. xoshiro256** seeded through splitmix64: the same
// seed gives the same sequence on every platform and standard library (unlike the std::
// distributions). Not thread-safe; each component owns its own Rng.
#pragma once

#include <cstdint>

namespace combo::core {

class Rng {
 public:
  explicit Rng(uint64_t seed);

  uint64_t NextU64();
  // Uniform in [lo, hi] (inclusive); requires lo <= hi.
  int64_t UniformInt(int64_t lo, int64_t hi);
  // Uniform in [0, 1).
  double UniformDouble();
  // Standard normal (mean 0, deviation 1), by Box-Muller.
  double Normal();
  // Exponential with the given rate (mean 1/rate): Poisson inter-arrival times.
  double Exponential(double rate);
  // True with probability p.
  bool Bernoulli(double p) { return UniformDouble() < p; }
  // A new Rng whose seed is drawn from this one: independent streams for sub-components.
  Rng Fork() { return Rng(NextU64()); }

 private:
  uint64_t state_[4];
  bool has_spare_normal_ = false;
  double spare_normal_ = 0;
};

}  // namespace combo::core
