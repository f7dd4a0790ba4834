#include "fix/session_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "quickfix/FieldConvertors.h"

namespace combo::fix {
namespace {

std::string ErrnoText() { return std::strerror(errno); }

// The next line of `data` from `*at` (without its '\n'), or false when there is no whole line.
bool NextLine(std::string_view data, size_t* at, std::string_view* line) {
  const size_t end = data.find('\n', *at);
  if (end == std::string_view::npos) return false;
  *line = data.substr(*at, end - *at);
  *at = end + 1;
  return true;
}

bool ParseInt(std::string_view text, int64_t* value) {
  return absl::SimpleAtoi(core::AsAbsl(text), value);
}

}  // namespace

SessionStore::SessionStore(std::string path) : path_(std::move(path)) {
  fd_ = open(path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw FIX::ConfigError(
        absl::StrCat("cannot open FIX session store ", path_, ": ", ErrnoText()));
  }
  Load();
}

SessionStore::~SessionStore() {
  if (fd_ < 0) return;
  try {
    WriteHeldBytes();
  } catch (const FIX::IOException&) {
    // Nothing to tell anyone at destruction; the file keeps what reached it.
  }
  close(fd_);
}

void SessionStore::Load() {
  WriteHeldBytes();
  next_sender_ = 1;
  next_target_ = 1;
  messages_.clear();
  dropped_tail_bytes_ = 0;
  struct stat status {};
  if (fstat(fd_, &status) != 0) throw FIX::IOException(absl::StrCat(path_, ": ", ErrnoText()));
  std::string data(static_cast<size_t>(status.st_size), '\0');
  size_t read_so_far = 0;
  while (read_so_far < data.size()) {
    const ssize_t n = pread(fd_, data.data() + read_so_far, data.size() - read_so_far,
                            static_cast<off_t>(read_so_far));
    if (n <= 0) break;
    read_so_far += static_cast<size_t>(n);
  }
  data.resize(read_so_far);
  const std::string_view all(data);
  bool created = false;
  size_t at = 0;
  size_t good = 0;  // end of the last whole record
  std::string_view line;
  while (NextLine(all, &at, &line)) {
    if (line.size() < 3 || line[1] != ' ') break;
    const std::string_view value = line.substr(2);
    int64_t number = 0;
    if (line[0] == 'C') {
      try {
        creation_time_ = FIX::UtcTimeStampConvertor::convert(std::string(value));
      } catch (const FIX::FieldConvertError&) {
        break;
      }
      created = true;
    } else if (line[0] == 'S' && ParseInt(value, &number)) {
      next_sender_ = static_cast<int>(number);
    } else if (line[0] == 'T' && ParseInt(value, &number)) {
      next_target_ = static_cast<int>(number);
    } else if (line[0] == 'M') {
      const size_t space = value.find(' ');
      int64_t length = 0;
      if (space == std::string_view::npos || !ParseInt(value.substr(0, space), &number) ||
          !ParseInt(value.substr(space + 1), &length) || length < 0 ||
          at + static_cast<size_t>(length) + 1 > all.size() ||
          all[at + static_cast<size_t>(length)] != '\n') {
        break;
      }
      messages_[static_cast<int>(number)] = {static_cast<int64_t>(at), length};
      next_sender_ = static_cast<int>(number) + 1;
      at += static_cast<size_t>(length) + 1;
    } else {
      break;
    }
    good = at;
  }
  size_ = static_cast<int64_t>(good);
  if (good < all.size()) {
    // A record cut short (a crash mid-write): as if it had never been written.
    dropped_tail_bytes_ = static_cast<int64_t>(all.size() - good);
    if (ftruncate(fd_, static_cast<off_t>(good)) != 0) {
      throw FIX::IOException(absl::StrCat(path_, ": ", ErrnoText()));
    }
  }
  if (!created) {
    creation_time_ = FIX::UtcTimeStamp();
    Append(absl::StrCat("C ", FIX::UtcTimeStampConvertor::convert(creation_time_, 3), "\n"));
  }
}

void SessionStore::Append(const std::string& record) {
  if (holding_) {
    held_.append(record);
  } else {
    WriteFully(record);
  }
  size_ += static_cast<int64_t>(record.size());
}

void SessionStore::WriteFully(std::string_view bytes) const {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw FIX::IOException(absl::StrCat(path_, ": ", ErrnoText()));
    done += static_cast<size_t>(n);
  }
}

void SessionStore::WriteHeldBytes() const {
  if (held_.empty()) return;
  WriteFully(held_);
  held_.clear();
}

void SessionStore::WriteHeld() throw(FIX::IOException) {
  WriteHeldBytes();
  holding_ = false;
}

bool SessionStore::set(int sequence_number, const std::string& message) throw(FIX::IOException) {
  std::string record = absl::StrCat("M ", sequence_number, " ", message.size(), "\n");
  const int64_t offset = size_ + static_cast<int64_t>(record.size());
  absl::StrAppend(&record, message, "\n");
  Append(record);
  messages_[sequence_number] = {offset, static_cast<int64_t>(message.size())};
  return true;
}

void SessionStore::get(int begin, int end, std::vector<std::string>& messages) const
    throw(FIX::IOException) {
  messages.clear();
  WriteHeldBytes();  // a resend may ask for what this burst sent
  for (auto it = messages_.lower_bound(begin); it != messages_.end() && it->first <= end; ++it) {
    std::string message(static_cast<size_t>(it->second.length), '\0');
    const ssize_t n = pread(fd_, message.data(), message.size(), it->second.offset);
    if (n != static_cast<ssize_t>(message.size())) {
      throw FIX::IOException(absl::StrCat(path_, ": cannot read message ", it->first));
    }
    messages.push_back(std::move(message));
  }
}

void SessionStore::setNextSenderMsgSeqNum(int value) throw(FIX::IOException) {
  Append(absl::StrCat("S ", value, "\n"));
  next_sender_ = value;
}

void SessionStore::setNextTargetMsgSeqNum(int value) throw(FIX::IOException) {
  Append(absl::StrCat("T ", value, "\n"));
  next_target_ = value;
}

void SessionStore::incrNextSenderMsgSeqNum() throw(FIX::IOException) {
  // After set(n, ...) the record of message n already says "next is n + 1".
  const int next = next_sender_ + 1;
  if (auto last = messages_.rbegin(); last != messages_.rend() && last->first + 1 == next) {
    next_sender_ = next;
    return;
  }
  setNextSenderMsgSeqNum(next);
}

void SessionStore::incrNextTargetMsgSeqNum() throw(FIX::IOException) {
  setNextTargetMsgSeqNum(next_target_ + 1);
}

void SessionStore::reset() throw(FIX::IOException) {
  Truncate();
  messages_.clear();
  next_sender_ = 1;
  next_target_ = 1;
  creation_time_ = FIX::UtcTimeStamp();
  Append(absl::StrCat("C ", FIX::UtcTimeStampConvertor::convert(creation_time_, 3), "\n"));
}

void SessionStore::refresh() throw(FIX::IOException) { Load(); }

void SessionStore::Truncate() {
  held_.clear();
  if (ftruncate(fd_, 0) != 0) throw FIX::IOException(absl::StrCat(path_, ": ", ErrnoText()));
  size_ = 0;
}

std::string SessionStoreFactory::PathOf(const FIX::SessionID& session) const {
  return absl::StrCat(directory_, "/", session.getBeginString().getValue(), "-",
                      session.getSenderCompID().getValue(), "-",
                      session.getTargetCompID().getValue(), ".session");
}

FIX::MessageStore* SessionStoreFactory::create(const FIX::SessionID& session) {
  std::error_code error;
  std::filesystem::create_directories(directory_, error);
  if (error) {
    throw FIX::ConfigError(
        absl::StrCat("cannot create FIX store directory ", directory_, ": ", error.message()));
  }
  auto* store = new SessionStore(PathOf(session));
  stores_[session.toString()] = store;
  return store;
}

void SessionStoreFactory::destroy(FIX::MessageStore* store) {
  for (auto it = stores_.begin(); it != stores_.end(); ++it) {
    if (it->second == store) {
      stores_.erase(it);
      break;
    }
  }
  delete store;
}

SessionStore* SessionStoreFactory::Find(const FIX::SessionID& session) const {
  auto it = stores_.find(session.toString());
  return it == stores_.end() ? nullptr : it->second;
}

}  // namespace combo::fix
