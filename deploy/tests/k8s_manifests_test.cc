// Structural checks of the Kubernetes manifests in deploy/k8s (there is no cluster in CI): the
// StatefulSet runs one daemon per shard config, each shard has its Service, the journal and the
// FIX store are on persistent volumes, Prometheus finds the pods by the annotations the scrape
// config reads, and the pods run unprivileged. The shard configs load with the daemon's own
// loader, own disjoint underlyings and FIX sessions, carry one sharding map of product groups in
// which each names itself and its own Service, and put their state on the volumes. Each
// check is a function returning a Status that names the problem, so planted faults prove it can
// fail.
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "config/daemon_config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "router/shard_ownership.h"
#include "yaml-cpp/yaml.h"

namespace combo::deploy {
namespace {

namespace fs = std::filesystem;

const fs::path kDeployDir = COMBO_DEPLOY_DIR;
const fs::path kK8sDir = kDeployDir / "k8s";

// Every document of a manifest file; yaml-cpp's exceptions end here as a Status.
absl::StatusOr<std::vector<YAML::Node>> LoadDocuments(const fs::path& path) {
  try {
    std::vector<YAML::Node> docs = YAML::LoadAllFromFile(path.string());
    if (docs.empty()) return absl::InvalidArgumentError(path.string() + ": no YAML document");
    return docs;
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(path.string() + ": " + e.what());
  }
}

absl::StatusOr<std::vector<YAML::Node>> LoadText(const std::string& text) {
  try {
    return YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(e.what());
  }
}

std::string Scalar(const YAML::Node& node) {
  return node && node.IsScalar() ? node.as<std::string>() : std::string();
}

// The manifests kustomization.yaml lists, plus its shard config files, in order.
struct Kustomization {
  std::vector<std::string> resources;
  std::vector<std::string> shard_configs;
};

absl::StatusOr<Kustomization> ReadKustomization(const YAML::Node& k) {
  Kustomization out;
  if (!k["resources"].IsSequence())
    return absl::InvalidArgumentError("kustomization: no resources");
  for (const auto& r : k["resources"]) out.resources.push_back(r.as<std::string>());
  bool found = false;
  for (const auto& gen : k["configMapGenerator"]) {
    if (Scalar(gen["name"]) != "combo-router-shards") continue;
    found = true;
    for (const auto& f : gen["files"]) out.shard_configs.push_back(f.as<std::string>());
  }
  if (!found) {
    return absl::InvalidArgumentError("kustomization: no configMapGenerator combo-router-shards");
  }
  for (size_t i = 0; i < out.shard_configs.size(); ++i) {
    const std::string expected = "shards/shard-" + std::to_string(i) + ".yaml";
    if (out.shard_configs[i] != expected) {
      return absl::InvalidArgumentError("kustomization: shard config " + std::to_string(i) +
                                        " is " + out.shard_configs[i] + ", expected " + expected);
    }
  }
  return out;
}

// Every object of the listed manifests, by kind then name.
using Objects = std::map<std::string, std::map<std::string, YAML::Node>>;

absl::StatusOr<Objects> CollectObjects(const std::vector<YAML::Node>& docs) {
  Objects objects;
  for (const YAML::Node& doc : docs) {
    if (!doc || doc.IsNull()) continue;
    const std::string kind = Scalar(doc["kind"]);
    const std::string name = Scalar(doc["metadata"]["name"]);
    if (Scalar(doc["apiVersion"]).empty() || kind.empty() || name.empty()) {
      return absl::InvalidArgumentError("an object without apiVersion, kind or metadata.name");
    }
    if (kind != "Namespace" && Scalar(doc["metadata"]["namespace"]) != "combo-router") {
      return absl::InvalidArgumentError(kind + "/" + name + ": not in namespace combo-router");
    }
    if (!objects[kind].emplace(name, doc).second) {
      return absl::InvalidArgumentError(kind + "/" + name + ": defined twice");
    }
  }
  return objects;
}

YAML::Node Container(const YAML::Node& statefulset) {
  for (const auto& c : statefulset["spec"]["template"]["spec"]["containers"]) {
    if (Scalar(c["name"]) == "combo-routerd") return c;
  }
  return YAML::Node();
}

std::map<std::string, std::string> ContainerPorts(const YAML::Node& container) {
  std::map<std::string, std::string> ports;
  for (const auto& p : container["ports"]) ports[Scalar(p["name"])] = Scalar(p["containerPort"]);
  return ports;
}

// One daemon per shard config; the headless Service is the StatefulSet's serviceName.
absl::Status CheckStatefulSet(const Objects& objects, size_t shards) {
  auto it = objects.find("StatefulSet");
  if (it == objects.end() || !it->second.count("combo-router")) {
    return absl::NotFoundError("no StatefulSet combo-router");
  }
  const YAML::Node ss = it->second.at("combo-router");
  const std::string replicas = Scalar(ss["spec"]["replicas"]);
  if (replicas != std::to_string(shards)) {
    return absl::FailedPreconditionError("StatefulSet replicas " + replicas + " but " +
                                         std::to_string(shards) + " shard configs");
  }
  const std::string service = Scalar(ss["spec"]["serviceName"]);
  auto services = objects.find("Service");
  if (services == objects.end() || !services->second.count(service) ||
      Scalar(services->second.at(service)["spec"]["clusterIP"]) != "None") {
    return absl::FailedPreconditionError("serviceName " + service +
                                         " is not a headless Service of the manifests");
  }
  const YAML::Node container = Container(ss);
  if (!container) return absl::NotFoundError("no container combo-routerd");
  std::ostringstream args;
  for (const auto& a : container["args"]) args << a.as<std::string>() << ' ';
  if (args.str().find("/etc/combo-router/shards/shard-$(SHARD).yaml") == std::string::npos) {
    return absl::FailedPreconditionError("the container does not read its shard's config: " +
                                         args.str());
  }
  bool shard_from_ordinal = false;
  for (const auto& e : container["env"]) {
    if (Scalar(e["name"]) == "SHARD" && Scalar(e["valueFrom"]["fieldRef"]["fieldPath"]) ==
                                            "metadata.labels['apps.kubernetes.io/pod-index']") {
      shard_from_ordinal = true;
    }
  }
  if (!shard_from_ordinal) {
    return absl::FailedPreconditionError("SHARD does not come from the pod's ordinal");
  }
  return absl::OkStatus();
}

// Service combo-router-shard-N selects exactly pod combo-router-N, on named container ports.
absl::Status CheckShardServices(const Objects& objects, size_t shards) {
  auto services = objects.find("Service");
  auto ss = objects.find("StatefulSet");
  if (services == objects.end() || ss == objects.end()) return absl::NotFoundError("no Service");
  const auto ports = ContainerPorts(Container(ss->second.at("combo-router")));
  for (size_t i = 0; i < shards; ++i) {
    const std::string name = "combo-router-shard-" + std::to_string(i);
    auto svc = services->second.find(name);
    if (svc == services->second.end()) return absl::NotFoundError("no Service " + name);
    const std::string pod =
        Scalar(svc->second["spec"]["selector"]["statefulset.kubernetes.io/pod-name"]);
    if (pod != "combo-router-" + std::to_string(i)) {
      return absl::FailedPreconditionError(name + " selects pod '" + pod +
                                           "', expected combo-router-" + std::to_string(i));
    }
    std::set<std::string> targets;
    for (const auto& p : svc->second["spec"]["ports"]) {
      const std::string target = Scalar(p["targetPort"]);
      if (!ports.count(target)) {
        return absl::FailedPreconditionError(name + " targets port '" + target +
                                             "' the container does not name");
      }
      targets.insert(target);
    }
    if (!targets.count("fix")) return absl::FailedPreconditionError(name + " has no fix port");
  }
  return absl::OkStatus();
}

// The journal and the FIX store are persistent volume claims mounted in the container.
absl::Status CheckPersistentVolumes(const YAML::Node& statefulset,
                                    std::map<std::string, std::string>* mounts_out) {
  std::set<std::string> claims;
  for (const auto& t : statefulset["spec"]["volumeClaimTemplates"]) {
    claims.insert(Scalar(t["metadata"]["name"]));
  }
  std::map<std::string, std::string> mounts;
  for (const auto& m : Container(statefulset)["volumeMounts"]) {
    mounts[Scalar(m["name"])] = Scalar(m["mountPath"]);
  }
  for (const std::string name : {"journal", "fix-store"}) {
    if (!claims.count(name)) {
      return absl::FailedPreconditionError("no volumeClaimTemplate " + name);
    }
    if (!mounts.count(name)) return absl::FailedPreconditionError(name + " is not mounted");
  }
  if (mounts_out != nullptr) *mounts_out = mounts;
  return absl::OkStatus();
}

// The pod annotations name the container's metrics port, and the Kubernetes scrape config keeps
// pods by exactly those annotations and the app label.
absl::Status CheckScrapeAnnotations(const YAML::Node& statefulset, const std::string& scrape) {
  const YAML::Node annotations = statefulset["spec"]["template"]["metadata"]["annotations"];
  if (Scalar(annotations["prometheus.io/scrape"]) != "true") {
    return absl::FailedPreconditionError("pods lack prometheus.io/scrape: \"true\"");
  }
  const auto ports = ContainerPorts(Container(statefulset));
  const std::string port = Scalar(annotations["prometheus.io/port"]);
  if (!ports.count("metrics") || ports.at("metrics") != port) {
    return absl::FailedPreconditionError("prometheus.io/port '" + port +
                                         "' is not the container's metrics port");
  }
  if (Scalar(annotations["prometheus.io/path"]) != "/metrics") {
    return absl::FailedPreconditionError("prometheus.io/path is not /metrics");
  }
  const std::string app =
      Scalar(statefulset["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/name"]);
  for (const std::string& needed : std::vector<std::string>{
           "__meta_kubernetes_pod_annotation_prometheus_io_scrape",
           "__meta_kubernetes_pod_annotation_prometheus_io_port",
           "__meta_kubernetes_pod_annotation_prometheus_io_path",
           "__meta_kubernetes_pod_label_app_kubernetes_io_name",
           "__meta_kubernetes_pod_label_apps_kubernetes_io_pod_index", "regex: " + app}) {
    if (scrape.find(needed) == std::string::npos) {
      return absl::FailedPreconditionError("prometheus-kubernetes.yml does not use " + needed);
    }
  }
  return absl::OkStatus();
}

// Non-root, no privilege escalation, no capabilities, read-only root file system.
absl::Status CheckUnprivileged(const YAML::Node& statefulset) {
  const YAML::Node pod = statefulset["spec"]["template"]["spec"]["securityContext"];
  if (Scalar(pod["runAsNonRoot"]) != "true" || Scalar(pod["runAsUser"]) == "0") {
    return absl::FailedPreconditionError("the pod may run as root");
  }
  const YAML::Node c = Container(statefulset)["securityContext"];
  if (Scalar(c["allowPrivilegeEscalation"]) != "false" ||
      Scalar(c["readOnlyRootFilesystem"]) != "true" || !c["capabilities"]["drop"].IsSequence() ||
      Scalar(c["capabilities"]["drop"][0]) != "ALL") {
    return absl::FailedPreconditionError("the container is not locked down");
  }
  return absl::OkStatus();
}

// A shard config's state lands on the pod's volumes, it listens where the pod's ports and
// annotations say, and it reads the FIX dictionary where the image installs it.
absl::Status CheckShardConfig(const config::DaemonConfig& shard, const YAML::Node& statefulset,
                              const std::map<std::string, std::string>& mounts,
                              const std::string& dockerfile) {
  const std::string name = shard.source_file;
  const fs::path data_dir = shard.daemon.data_dir;
  if (!data_dir.is_absolute() || !mounts.count("data") || data_dir != mounts.at("data")) {
    return absl::FailedPreconditionError(name + ": daemon.data_dir " + data_dir.string() +
                                         " is not the pod's data mount");
  }
  const auto under = [](const fs::path& path, const std::string& mount) {
    const fs::path rel = path.lexically_normal().lexically_relative(mount);
    return !rel.empty() && *rel.begin() != "..";
  };
  const fs::path journal = data_dir / shard.accounts.journal_path;
  if (!under(journal, mounts.at("journal"))) {
    return absl::FailedPreconditionError(name + ": the journal " + journal.string() +
                                         " is not on the journal volume");
  }
  const fs::path store = data_dir / shard.fix.store_directory;
  if (store.lexically_normal() != fs::path(mounts.at("fix-store")).lexically_normal() &&
      !under(store, mounts.at("fix-store"))) {
    return absl::FailedPreconditionError(name + ": the FIX store " + store.string() +
                                         " is not on the fix-store volume");
  }
  const auto ports = ContainerPorts(Container(statefulset));
  if (!shard.metrics.enabled || shard.metrics.listen_address != "0.0.0.0" ||
      std::to_string(shard.metrics.port) != ports.at("metrics")) {
    return absl::FailedPreconditionError(name +
                                         ": metrics must listen on 0.0.0.0:" + ports.at("metrics"));
  }
  if (!shard.fix.enabled || shard.fix.listen_address != "0.0.0.0" ||
      std::to_string(shard.fix.port) != ports.at("fix")) {
    return absl::FailedPreconditionError(name + ": FIX must listen on 0.0.0.0:" + ports.at("fix"));
  }
  if (!fs::path(shard.fix.data_dictionary).is_absolute() ||
      dockerfile.find(shard.fix.data_dictionary) == std::string::npos) {
    return absl::FailedPreconditionError(name + ": fix.data_dictionary " +
                                         shard.fix.data_dictionary +
                                         " is not where the image installs it");
  }
  return absl::OkStatus();
}

// No underlying and no FIX session (client CompID) is in two shards.
absl::Status CheckShardsDisjoint(const std::vector<config::DaemonConfig>& shards) {
  std::map<std::string, size_t> underlying_shard;
  std::map<std::string, size_t> session_shard;
  for (size_t i = 0; i < shards.size(); ++i) {
    std::set<std::string> underlyings;
    for (const auto& [id, instrument] : shards[i].instruments.all()) {
      underlyings.insert(instrument.underlying());
    }
    if (underlyings.empty()) {
      return absl::FailedPreconditionError("shard " + std::to_string(i) + " owns nothing");
    }
    for (const std::string& u : underlyings) {
      auto [it, inserted] = underlying_shard.emplace(u, i);
      if (!inserted) {
        return absl::FailedPreconditionError("underlying " + u + " is in shards " +
                                             std::to_string(it->second) + " and " +
                                             std::to_string(i));
      }
    }
    if (shards[i].fix.sessions.empty()) {
      return absl::FailedPreconditionError("shard " + std::to_string(i) + " has no FIX session");
    }
    for (const auto& session : shards[i].fix.sessions) {
      auto [it, inserted] = session_shard.emplace(session.client_comp_id, i);
      if (!inserted) {
        return absl::FailedPreconditionError("FIX session " + session.client_comp_id +
                                             " is in shards " + std::to_string(it->second) +
                                             " and " + std::to_string(i));
      }
    }
  }
  return absl::OkStatus();
}

// Every shard config carries the same sharding map (docs/DEPLOY.md "Sharded by product group"),
// with one shard per config: config N is the map's shard reached at Service
// combo-router-shard-N on the FIX port, so the refusal another shard sends names a Service
// brokers can reach.
absl::Status CheckShardingMaps(const std::vector<config::DaemonConfig>& shards) {
  for (size_t i = 0; i < shards.size(); ++i) {
    const std::string name = "shard " + std::to_string(i);
    if (!shards[i].sharding.has_value()) {
      return absl::FailedPreconditionError(name + " has no sharding section");
    }
    router::ShardMap map = shards[i].sharding->map();
    router::ShardMap first = shards[0].sharding->map();
    map.this_shard = first.this_shard = "";
    if (!(map == first)) {
      return absl::FailedPreconditionError(name + "'s sharding map differs from shard 0's");
    }
    if (map.shards.size() != shards.size()) {
      return absl::FailedPreconditionError(name + "'s sharding map has " +
                                           std::to_string(map.shards.size()) + " shards but " +
                                           std::to_string(shards.size()) + " shard configs");
    }
    const std::string endpoint =
        "combo-router-shard-" + std::to_string(i) + ":" + std::to_string(shards[i].fix.port);
    const router::ShardSpec& self = shards[i].sharding->this_shard();
    if (self.fix_endpoint != endpoint) {
      return absl::FailedPreconditionError(name + " is shard " + self.name +
                                           " of the map, whose "
                                           "fix_endpoint " +
                                           self.fix_endpoint + " is not " + endpoint);
    }
  }
  return absl::OkStatus();
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class K8sManifestsTest : public testing::Test {
 protected:
  void SetUp() override {
    auto k = LoadDocuments(kK8sDir / "kustomization.yaml");
    ASSERT_TRUE(k.ok()) << k.status();
    auto kust = ReadKustomization((*k)[0]);
    ASSERT_TRUE(kust.ok()) << kust.status();
    kustomization_ = *kust;
    std::vector<YAML::Node> docs;
    for (const std::string& r : kustomization_.resources) {
      auto loaded = LoadDocuments(kK8sDir / r);
      ASSERT_TRUE(loaded.ok()) << loaded.status();
      docs.insert(docs.end(), loaded->begin(), loaded->end());
    }
    auto objects = CollectObjects(docs);
    ASSERT_TRUE(objects.ok()) << objects.status();
    objects_ = *objects;
    ASSERT_TRUE(objects_["StatefulSet"].count("combo-router"));
    statefulset_ = objects_["StatefulSet"]["combo-router"];
  }

  // The objects of the manifests with one document replaced by `text`.
  Objects With(const std::string& kind, const std::string& name, const std::string& text) {
    Objects changed = objects_;
    auto doc = LoadText(text);
    EXPECT_TRUE(doc.ok()) << doc.status();
    changed[kind][name] = (*doc)[0];
    return changed;
  }

  Kustomization kustomization_;
  Objects objects_;
  YAML::Node statefulset_;
};

TEST_F(K8sManifestsTest, KustomizationResourcesAndShardConfigsExist) {
  for (const auto& r : kustomization_.resources) {
    EXPECT_TRUE(fs::exists(kK8sDir / r)) << r;
  }
  ASSERT_GE(kustomization_.shard_configs.size(), 2u) << "a sharded set has at least two shards";
  for (const auto& f : kustomization_.shard_configs) EXPECT_TRUE(fs::exists(kK8sDir / f)) << f;
  EXPECT_TRUE(objects_["Namespace"].count("combo-router"));
}

TEST_F(K8sManifestsTest, StatefulSetRunsOneDaemonPerShardConfig) {
  EXPECT_TRUE(CheckStatefulSet(objects_, kustomization_.shard_configs.size()).ok())
      << CheckStatefulSet(objects_, kustomization_.shard_configs.size());
}

TEST_F(K8sManifestsTest, ReplicasNotMatchingShardConfigsIsReported) {
  const absl::Status s = CheckStatefulSet(objects_, kustomization_.shard_configs.size() + 1);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()), testing::HasSubstr("replicas"));
}

TEST_F(K8sManifestsTest, EveryShardHasAServiceSelectingItsPod) {
  const absl::Status s = CheckShardServices(objects_, kustomization_.shard_configs.size());
  EXPECT_TRUE(s.ok()) << s;
}

TEST_F(K8sManifestsTest, ServiceSelectingAnotherShardsPodIsReported) {
  const Objects changed = With("Service", "combo-router-shard-1", R"(
apiVersion: v1
kind: Service
metadata: {name: combo-router-shard-1, namespace: combo-router}
spec:
  selector: {statefulset.kubernetes.io/pod-name: combo-router-0}
  ports: [{name: fix, port: 9878, targetPort: fix}]
)");
  const absl::Status s = CheckShardServices(changed, kustomization_.shard_configs.size());
  EXPECT_THAT(std::string(s.message()), testing::HasSubstr("combo-router-shard-1 selects pod"));
}

TEST_F(K8sManifestsTest, MissingShardServiceIsReported) {
  Objects changed = objects_;
  changed["Service"].erase("combo-router-shard-1");
  EXPECT_EQ(CheckShardServices(changed, 2).code(), absl::StatusCode::kNotFound);
}

TEST_F(K8sManifestsTest, JournalAndFixStoreAreOnPersistentVolumes) {
  std::map<std::string, std::string> mounts;
  const absl::Status s = CheckPersistentVolumes(statefulset_, &mounts);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(mounts["journal"], "/var/lib/combo-router/journal");
  EXPECT_EQ(mounts["fix-store"], "/var/lib/combo-router/fix/store");
}

TEST_F(K8sManifestsTest, JournalOnAnEphemeralVolumeIsReported) {
  YAML::Node changed = YAML::Clone(statefulset_);
  changed["spec"]["volumeClaimTemplates"] = YAML::Node(YAML::NodeType::Sequence);
  EXPECT_THAT(std::string(CheckPersistentVolumes(changed, nullptr).message()),
              testing::HasSubstr("no volumeClaimTemplate journal"));
}

TEST_F(K8sManifestsTest, ScrapeAnnotationsMatchMetricsPortAndKubernetesScrapeConfig) {
  const std::string scrape = ReadFile(kDeployDir / "prometheus" / "prometheus-kubernetes.yml");
  ASSERT_FALSE(scrape.empty());
  const absl::Status s = CheckScrapeAnnotations(statefulset_, scrape);
  EXPECT_TRUE(s.ok()) << s;
}

TEST_F(K8sManifestsTest, ScrapeAnnotationOnTheWrongPortIsReported) {
  YAML::Node changed = YAML::Clone(statefulset_);
  changed["spec"]["template"]["metadata"]["annotations"]["prometheus.io/port"] = "9878";
  const std::string scrape = ReadFile(kDeployDir / "prometheus" / "prometheus-kubernetes.yml");
  EXPECT_THAT(std::string(CheckScrapeAnnotations(changed, scrape).message()),
              testing::HasSubstr("not the container's metrics port"));
}

TEST_F(K8sManifestsTest, PodsRunUnprivileged) {
  EXPECT_TRUE(CheckUnprivileged(statefulset_).ok()) << CheckUnprivileged(statefulset_);
  YAML::Node changed = YAML::Clone(statefulset_);
  changed["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] = false;
  EXPECT_FALSE(CheckUnprivileged(changed).ok());
}

TEST_F(K8sManifestsTest, ShardConfigsLoadAndPutTheirStateOnTheVolumes) {
  std::map<std::string, std::string> mounts;
  ASSERT_TRUE(CheckPersistentVolumes(statefulset_, &mounts).ok());
  const std::string dockerfile = ReadFile(kDeployDir / "docker" / "Dockerfile");
  ASSERT_FALSE(dockerfile.empty());
  std::vector<config::DaemonConfig> shards;
  for (const std::string& file : kustomization_.shard_configs) {
    auto loaded = config::LoadDaemonConfigFile((kK8sDir / file).string());
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    const absl::Status s = CheckShardConfig(*loaded, statefulset_, mounts, dockerfile);
    EXPECT_TRUE(s.ok()) << s;
    shards.push_back(*std::move(loaded));
  }
  const absl::Status disjoint = CheckShardsDisjoint(shards);
  EXPECT_TRUE(disjoint.ok()) << disjoint;
  const absl::Status maps = CheckShardingMaps(shards);
  EXPECT_TRUE(maps.ok()) << maps;
}

// The shards are product groups: ES futures against SPY options is a combo of one shard.
TEST_F(K8sManifestsTest, TheEquityIndexGroupsProductsShareAShard) {
  auto shard = config::LoadDaemonConfigFile((kK8sDir / kustomization_.shard_configs[0]).string());
  ASSERT_TRUE(shard.ok()) << shard.status();
  ASSERT_TRUE(shard->sharding.has_value());
  EXPECT_EQ(shard->sharding->Refusal({"ES", "SPY", "SPX"}), std::nullopt);
  EXPECT_NE(shard->instruments.FindBySymbol("ESZ6"), nullptr);
  EXPECT_NE(shard->instruments.FindBySymbol("SPY 20261218 C 450"), nullptr);
  EXPECT_EQ(shard->sharding->Refusal({"QQQ"}),
            "QQQ belongs to shard nasdaq (combo-router-shard-1:9878); this is shard equity-index");
}

class K8sShardingMapsTest : public K8sManifestsTest {
 protected:
  void SetUp() override {
    K8sManifestsTest::SetUp();
    for (const std::string& file : kustomization_.shard_configs) {
      auto loaded = config::LoadDaemonConfigFile((kK8sDir / file).string());
      ASSERT_TRUE(loaded.ok()) << loaded.status();
      shards_.push_back(*std::move(loaded));
    }
  }
  // Shard `i`'s map changed by `change`.
  void Change(size_t i, const std::function<void(router::ShardMap&)>& change) {
    router::ShardMap map = shards_[i].sharding->map();
    change(map);
    auto changed = router::ShardOwnership::Create(map);
    ASSERT_TRUE(changed.ok()) << changed.status();
    shards_[i].sharding = *std::move(changed);
  }
  std::vector<config::DaemonConfig> shards_;
};

TEST_F(K8sShardingMapsTest, AShardConfigWithAnotherMapIsReported) {
  Change(1, [](router::ShardMap& map) { map.product_groups[1].roots.push_back("IWM"); });
  EXPECT_THAT(std::string(CheckShardingMaps(shards_).message()),
              testing::HasSubstr("shard 1's sharding map differs from shard 0's"));
}

TEST_F(K8sShardingMapsTest, AnEndpointOtherThanTheShardsServiceIsReported) {
  Change(1, [](router::ShardMap& map) { map.this_shard = map.shards[0].name; });
  EXPECT_THAT(std::string(CheckShardingMaps(shards_).message()),
              testing::HasSubstr("shard 1 is shard equity-index of the map, whose fix_endpoint "
                                 "combo-router-shard-0:9878 is not combo-router-shard-1:9878"));
}

TEST_F(K8sShardingMapsTest, AnUnshardedShardConfigIsReported) {
  shards_[0].sharding.reset();
  EXPECT_THAT(std::string(CheckShardingMaps(shards_).message()),
              testing::HasSubstr("shard 0 has no sharding section"));
}

TEST_F(K8sManifestsTest, ShardConfigOnEphemeralStorageIsReported) {
  std::map<std::string, std::string> mounts;
  ASSERT_TRUE(CheckPersistentVolumes(statefulset_, &mounts).ok());
  auto shard = config::LoadDaemonConfigFile((kK8sDir / kustomization_.shard_configs[0]).string());
  ASSERT_TRUE(shard.ok()) << shard.status();
  shard->accounts.journal_path = "journal.sqlite";  // the data dir: an emptyDir
  EXPECT_THAT(std::string(CheckShardConfig(*shard, statefulset_, mounts, "").message()),
              testing::HasSubstr("is not on the journal volume"));
}

TEST_F(K8sManifestsTest, TwoShardsOwningOneUnderlyingAreReported) {
  auto shard = config::LoadDaemonConfigFile((kK8sDir / kustomization_.shard_configs[0]).string());
  ASSERT_TRUE(shard.ok()) << shard.status();
  const absl::Status s = CheckShardsDisjoint({*shard, *shard});
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()), testing::HasSubstr("is in shards 0 and 1"));
}

TEST(K8sManifestLoadTest, MalformedYamlIsAnErrorNamingTheProblem) {
  const auto docs = LoadText("kind: [unclosed");
  EXPECT_EQ(docs.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(K8sManifestLoadTest, ObjectOutsideTheNamespaceIsReported) {
  auto docs = LoadText("apiVersion: v1\nkind: Service\nmetadata: {name: x, namespace: other}\n");
  ASSERT_TRUE(docs.ok());
  EXPECT_THAT(std::string(CollectObjects(*docs).status().message()),
              testing::HasSubstr("Service/x: not in namespace combo-router"));
}

}  // namespace
}  // namespace combo::deploy
