#include "fix/message_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <string_view>
#include <utility>

#include "boost/asio/post.hpp"
#include "quickfix/Exceptions.h"
#include "quickfix/FieldConvertors.h"
#include "quickfix/FieldTypes.h"

namespace combo::fix {
namespace {

// One log file: lines gathered in memory until the core thread writes them.
struct LogFile {
  std::string path;
  int fd = -1;
  std::string pending;

  void Open() {
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) throw FIX::ConfigError("Could not open log file " + path);
  }
  void Close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  // Writes what is pending. A log that cannot be written drops its lines: the log is a record
  // for people, and a full disk must not stop the sessions (the journal reports its own).
  void Write() {
    std::string_view rest = pending;
    while (!rest.empty() && fd >= 0) {
      const ssize_t written = ::write(fd, rest.data(), rest.size());
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) break;
      rest.remove_prefix(static_cast<size_t>(written));
    }
    pending.clear();
  }
};

// The two files of one session (or of the acceptor), shared with the posted write so that a
// log destroyed before it runs leaves nothing dangling.
struct LogFiles {
  LogFile messages;
  LogFile events;
  bool write_posted = false;

  void WriteAll() {
    write_posted = false;
    messages.Write();
    events.Write();
  }
};

class MessageLog final : public FIX::Log {
 public:
  MessageLog(const std::string& directory, const std::string& prefix, boost::asio::io_context& io)
      : prefix_(directory + "/" + prefix), io_(io), files_(std::make_shared<LogFiles>()) {
    files_->messages.path = prefix_ + ".messages.current.log";
    files_->events.path = prefix_ + ".event.current.log";
    files_->messages.Open();
    files_->events.Open();
  }

  ~MessageLog() override {
    files_->WriteAll();
    files_->messages.Close();
    files_->events.Close();
  }

  void clear() override {
    files_->WriteAll();
    for (LogFile* file : {&files_->messages, &files_->events}) {
      if (file->fd >= 0 && ::ftruncate(file->fd, 0) != 0) {
        throw FIX::ConfigError("Could not clear log file " + file->path);
      }
    }
  }

  void backup() override {
    files_->WriteAll();
    for (int n = 1;; ++n) {
      const std::string messages = prefix_ + ".messages.backup." + std::to_string(n) + ".log";
      const std::string events = prefix_ + ".event.backup." + std::to_string(n) + ".log";
      if (std::filesystem::exists(messages) || std::filesystem::exists(events)) continue;
      files_->messages.Close();
      files_->events.Close();
      std::filesystem::rename(files_->messages.path, messages);
      std::filesystem::rename(files_->events.path, events);
      files_->messages.Open();
      files_->events.Open();
      return;
    }
  }

  void onIncoming(const std::string& message) override { Add(files_->messages, message); }
  void onOutgoing(const std::string& message) override { Add(files_->messages, message); }
  void onEvent(const std::string& event) override { Add(files_->events, event); }

 private:
  void Add(LogFile& file, const std::string& line) {
    file.pending.append(FIX::UtcTimeStampConvertor::convert(FIX::UtcTimeStamp(), 9));
    file.pending.append(" : ");
    file.pending.append(line);
    file.pending.push_back('\n');
    if (files_->write_posted) return;
    files_->write_posted = true;
    boost::asio::post(io_, [files = std::weak_ptr<LogFiles>(files_)] {
      if (std::shared_ptr<LogFiles> alive = files.lock()) alive->WriteAll();
    });
  }

  const std::string prefix_;
  boost::asio::io_context& io_;
  std::shared_ptr<LogFiles> files_;
};

std::string PrefixOf(const FIX::SessionID& session) {
  std::string prefix = session.getBeginString().getValue() + "-" +
                       session.getSenderCompID().getValue() + "-" +
                       session.getTargetCompID().getValue();
  if (!session.getSessionQualifier().empty()) prefix += "-" + session.getSessionQualifier();
  return prefix;
}

}  // namespace

MessageLogFactory::MessageLogFactory(std::string directory, boost::asio::io_context& io)
    : directory_(std::move(directory)), io_(io) {
  std::error_code error;
  std::filesystem::create_directories(directory_, error);
  if (error) throw FIX::ConfigError("Could not create log directory " + directory_);
}

FIX::Log* MessageLogFactory::create() { return new MessageLog(directory_, "GLOBAL", io_); }

FIX::Log* MessageLogFactory::create(const FIX::SessionID& session) {
  return new MessageLog(directory_, PrefixOf(session), io_);
}

void MessageLogFactory::destroy(FIX::Log* log) { delete log; }

}  // namespace combo::fix
