#include "fix/testing/core_thread.h"

#include <future>
#include <utility>

#include "boost/asio/dispatch.hpp"
#include "boost/asio/post.hpp"

namespace combo::fix::testing {

CoreThread::CoreThread(bool busy_poll)
    : busy_poll_(busy_poll), work_(boost::asio::make_work_guard(io_)), thread_([this] { Run(); }) {}

CoreThread::~CoreThread() {
  // The last task lets go of the work guard: everything posted before it has run.
  Post([this] {
    stopping_ = true;
    work_.reset();
  });
  thread_.join();
}

void CoreThread::Post(std::function<void()> task) { boost::asio::post(io_, std::move(task)); }

void CoreThread::Dispatch(std::function<void()> task) {
  boost::asio::dispatch(io_, std::move(task));
}

void CoreThread::RunAndWait(std::function<void()> task) {
  std::promise<void> done;
  Post([&] {
    task();
    done.set_value();
  });
  done.get_future().wait();
}

void CoreThread::Run() {
  if (!busy_poll_) {
    io_.run();
    return;
  }
  while (!stopping_) io_.poll();
  // Whatever the last tasks left behind (closing sockets' handlers).
  io_.restart();
  io_.poll();
}

}  // namespace combo::fix::testing
