// SPDX-License-Identifier: Apache-2.0
// A scriptable fake Host for the operations' unit tests: a small model of the
// machine (devices eth0, eth1 and lo with their addresses, eth0's link), a
// fake clock, per-method scripted outcomes and a log of every call, as text:
// the Host method's own name (its __func__) and its arguments, for the tests
// to compare in order.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <initializer_list>

#include "cmocka_cxx.h"
#include "config/resource.h"
#include "host/host.h"

namespace ipres {

// Outcomes for one method, consumed in order. A scripted error replaces the
// call's effect; a scripted success, or an empty script, does what a healthy
// machine would with the model.
template <typename T>
class Script {
 public:
  void Push(const T& value) { Add(OkStatus(), value); }
  void PushError(int err) { Add(Status::Errno(err, "mock"), T{}); }
  void PushFailure(const char* why) { Add(Status::Fail("%s", why), T{}); }  // no errno
  bool Pop(Status* status, T* value) {
    if (count_ == 0) return false;
    *status = items_[head_].status;
    *value = items_[head_].value;
    head_ = (head_ + 1) % kCapacity;
    --count_;
    return true;
  }

 private:
  static constexpr size_t kCapacity = 16;
  struct Item {
    Status status;
    T value{};
  };
  void Add(const Status& status, const T& value) {
    if (count_ == kCapacity) fail_msg("more than %zu outcomes scripted", kCapacity);
    items_[(head_ + count_) % kCapacity] = Item{status, value};
    ++count_;
  }
  Item items_[kCapacity];
  size_t head_ = 0;
  size_t count_ = 0;
};

class MockHost final : public Host {
 public:
  MockHost();

  Result<LinkState> GetLink(const char* device) override;
  Status SetLinkUp(const char* device, bool up) override;
  Result<bool> WaitForCarrier(const char* device, uint32_t timeout_ms) override;
  // Logged "GetMacvlanBase DEV"; answers `base_device`.
  Result<bool> GetMacvlanBase(const char* device, char* base) override;
  // Logged "VisitAddresses DEV", or "VisitAddresses -6 DEV" for AF_INET6.
  Status VisitAddresses(int af, const char* device, AddressVisitor& visitor) override;
  // An IPv6 deprecated add is logged with " deprecated" at the end.
  Status AddAddress(const char* device, const IpAddress& address, uint8_t prefix,
                    SourceUse use) override;
  // Logged "ReplaceAddress DEV A/P nodad", with " deprecated" as AddAddress.
  Status ReplaceAddress(const char* device, const IpAddress& address, uint8_t prefix,
                        SourceUse use) override;
  Status DeleteAddress(const char* device, const IpAddress& address, uint8_t prefix) override;
  Status FlushNeighbours(const char* device) override;
  Status ArpAnnounce(const char* device, Ipv4 address, Ipv4 target, GarpKind kind) override;
  Status NdpAnnounce(const char* device, const Ipv6& address) override;  // the garp script
  Status SetRouteSource(const char* device, const IpAddress& network, uint8_t prefix,
                        const IpAddress& source) override;
  Result<IpAddress> GetRouteSource(const char* device, const IpAddress& network,
                                   uint8_t prefix) override;
  Status EnsureSubnetRoute(const char* device, const IpAddress& network, uint8_t prefix,
                           const IpAddress& source) override;
  Status DeleteHostRoute(const char* device, const IpAddress& address) override;
  void FlushRouteCache(int af) override;
  Result<Duplicate> ProbeForDuplicate(const char* device, const IpAddress& source,
                                      const IpAddress& address, uint32_t window_ms) override;
  Result<PingOutcome> Ping(const PingWindow& window) override;
  Status WatchClaims(const char* device,
                     const IpAddress& address) override;  // "WatchClaims DEV ADDR"
  // "ProbeClaims DEV ADDR in MS"; answered by `probe_claimant` when its script says true.
  Result<bool> ProbeClaims(const char* device, const IpAddress& address, uint32_t window_ms,
                           MacAddress* claimant) override;
  // "TakeClaim ADDR": by probe_claimant when the take_claim script says so.
  Result<bool> TakeClaim(const IpAddress& address, MacAddress* claimant) override;
  Status WatchEvents(bool ipv6) override;  // logged "WatchEvents", with " -6" for ipv6
  // A scripted event, else a timeout that advances the clock.
  Result<NetEvent> NextEvent(uint32_t timeout_ms) override;
  // A take-down that preempts (lock script true) says the bring-up
  // abandoned. While lock_contended, the lock is
  // held by another operation: LockTag waits (logged "LockTag TAG: waited"),
  // and while_lock_held runs meanwhile.
  Result<LockTaken> LockTag(const char* tag, LockIntent intent) override;
  void UnlockTag() override;  // counted in `unlocks`, not logged
  // These three are noted in `state_calls`, not in `calls`.
  Status AcceptAbandonRequests() override;  // sets `abandonable`
  // "RecordWord TAG yes|no": sets `word`, with the next generation.
  Result<Word> RecordWord(const char* tag, bool wanted) override;
  // "WithdrawWord TAG": clears `word` when it is still `mine`.
  Status WithdrawWord(const char* tag, const Word& mine) override;
  Result<Word> LastWord(const char* tag) override;                   // "LastWord TAG": `word`
  Status MarkUnfinished(const char* tag, uint32_t steps) override;   // not logged
  Status ClearUnfinished(const char* tag, uint32_t steps) override;  // not logged
  Result<uint32_t> Unfinished(const char* tag) override;             // not logged
  // Noted in `state_calls` ("RecordConflict TAG MAC until MS"), kept in `conflict`.
  Status RecordConflict(const char* tag, const Conflict& conflict) override;
  Result<Conflict> RecordedConflict(const char* tag) override;  // `conflict`, not logged
  Status RecordCheck(const char* tag, const CheckRecord& record) override;  // `check`, not logged
  Result<CheckRecord> LastCheck(const char* tag) override;                  // `check`, not logged
  int64_t WallClockS() override;                                            // `wall_s`
  bool StopSignalled() override;  // StopRequested() but for an abandon; not logged
  bool StopRequested() override;  // not logged
  int64_t NowMs() override;       // not logged
  void SleepMs(uint32_t ms) override;
  uint32_t JitterMs(uint32_t limit_ms) override;  // `jitter_ms`, not logged

  // --- the model -----------------------------------------------------------
  void AddDeviceAddress(const char* device, const char* address, uint8_t prefix,
                        bool secondary = false);
  // The IPv6 address's IFA_F_TENTATIVE and IFA_F_DADFAILED as the kernel reports them.
  void MarkDad(const char* device, const char* address, bool tentative, bool dad_failed);
  // The IPv6 address's IFA_F_DEPRECATED (preferred lifetime 0).
  void MarkDeprecated(const char* device, const char* address, bool deprecated);
  void ClearDevice(const char* device);
  bool Holds(const char* device, const char* address) const;
  LinkState eth0_link;          // every known device reports it; up with carrier
  bool carrier_returns = true;  // WaitForCarrier's answer after a bounce
  // What every device sits on, as a macvlan (keepalived's VMAC); null: none.
  const char* base_device = nullptr;
  int64_t now_ms = 1000000;
  uint32_t list_cost_ms = 0;  // how long each VisitAddresses takes

  // --- scripts -------------------------------------------------------------
  Script<LinkState> get_link;
  Script<bool> set_link_up;
  Script<bool> wait_for_carrier;  // a value overrides carrier_returns
  Script<bool> visit_addresses;
  Script<bool> add_address;
  Script<bool> replace_address;  // ReplaceAddress
  Script<bool> delete_address;
  Script<bool> flush_neighbours;
  Script<bool> garp;
  Script<bool> set_route_source;
  Script<bool> ensure_subnet_route;
  Script<IpAddress> route_source;  // GetRouteSource; empty: the last source set
  Script<bool> delete_host_route;
  Script<Duplicate> check_duplicate;
  Script<bool> lock;       // true: the take-down preempted a bring-up
  int lock_contended = 0;  // the next this many LockTag calls wait for another holder
  // What that holder does to the model before it lets go (nullptr: nothing).
  void (*while_lock_held)(MockHost& host) = nullptr;
  Script<bool> accept_abandon;
  Script<bool> record_word;  // an error records nothing; true: no room, the word deleted
  // The kind of a word standing whose writer was launched after this
  // process (kNone: none): RecordWord keeps it and returns it, spoken_later.
  WordKind launched_later = WordKind::kNone;
  Script<Word> last_word;  // a value overrides `word`
  Script<bool> watch_events;
  Script<bool> watch_claims;
  Script<bool> probe_claims;  // true: answered
  Script<bool> take_claim;    // true: a claim by probe_claimant was pending
  MacAddress probe_claimant;
  uint32_t probe_cost_ms = 0;   // how long each ProbeClaims listens
  Conflict conflict;            // the recorded conflict
  Script<bool> read_conflict;   // an error replaces the read
  CheckRecord check;            // the tag's check record
  int check_writes = 0;         // RecordCheck calls that wrote it
  Script<bool> read_check;      // an error replaces the read
  Script<bool> write_check;     // an error replaces the write
  int64_t wall_s = 1764892800;  // 2025-12-05T00:00:00Z
  int64_t jitter_ms = -1;       // JitterMs's answer (capped); -1: half the limit
  Script<NetEvent> events;
  // Runs as each scripted event is taken (another process acting meanwhile).
  void (*on_event)(MockHost& host) = nullptr;
  Script<bool> ping;         // true: a reply came
  Script<int> ping_unsent;   // an errno: the echo could not be sent (no reply)
  bool ping_answers = true;  // Ping's answer when its script is empty
  // StopRequested() turns true once this many calls were logged; -1: never.
  // For a signal at a given point of an operation.
  int stop_after_calls = -1;
  // The monitor's tests end on a condition they state, not after a count
  // of calls: StopRequested() turns true once it holds. A run that has not
  // met it in kRunBudget calls is stopped and stop_condition_missed set, for
  // ExpectStopConditionMet to fail the test once the run has returned.
  // Once the `occurrence`th call starting with `call` is logged.
  void StopAt(const char* call, int occurrence = 1);
  // At the monitor's `n`th wait (NextEvent).
  void StopAtWait(int n) { StopAt("NextEvent", n); }
  // At the first wait after that call: what it led to is done.
  void StopAtWaitAfter(const char* call, int occurrence = 1);
  // At the first wait that finds no scripted event left: each was handled.
  void StopOnceEventsHandled();
  static constexpr size_t kRunBudget = 400;
  bool stop_condition_missed = false;
  bool stop_is_abandon = false;  // that stop is a remove's request, not a signal
  Script<bool> withdraw_word;    // an error withdraws nothing
  int unlocks = 0;               // UnlockTag() calls
  Word word;                     // the last word recorded
  uint64_t generations = 0;      // the last generation given out
  // Records a word as another process would (a generation of its own).
  void Tell(bool wanted);
  bool wanted() const { return word.kind == WordKind::kRestore; }
  bool abandonable = false;  // between AcceptAbandonRequests and UnlockTag
  // The tag's UnfinishedStep record. A device taken down, or an address
  // added, while its step is not recorded counts in unrecorded_changes,
  // which ExpectCalls requires to be 0.
  uint32_t unfinished = 0;
  Script<bool> mark_unfinished;
  Script<uint32_t> read_unfinished;  // a value overrides `unfinished`
  int unrecorded_changes = 0;
  // How long a duplicate holder takes to answer; -1: the whole window.
  int duplicate_answer_ms = -1;
  // Someone else puts the protected address on eth0 while the duplicate check
  // runs: the window between the check and the add.
  bool added_during_duplicate_check = false;
  // Someone puts the address back at once after this many deletes. A
  // scripted EADDRNOTAVAIL on DeleteAddress means someone deleted it first.
  int readd_after_delete = 0;
  IpAddress subnet_route_source;  // what SetRouteSource set last

  // --- the call log --------------------------------------------------------
  static constexpr size_t kMaxCalls = 512;
  char calls[kMaxCalls][200];
  size_t call_count = 0;
  size_t dropped_calls = 0;  // past kMaxCalls: ExpectCalls fails
  // Index of the first logged call starting with prefix at or after `from`,
  // or -1.
  int Find(const char* prefix, size_t from = 0) const;
  // The state calls, e.g. "RecordWord vip yes", "AcceptAbandonRequests",
  // "LastWord vip", each with the number of `calls` logged before it.
  static constexpr size_t kMaxStateCalls = 512;
  char state_calls[kMaxStateCalls][80];
  size_t state_call_count = 0;

 private:
  // Logs the call as `method` (the caller's __func__: the interface's own
  // name, which follows a rename by itself), then fmt's text.
  void Record(const char* method, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
  void RecordState(const char* method, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
  static bool Known(const char* device);
  // Index of the `occurrence`th call starting with prefix, or -1.
  int FindNth(const char* prefix, int occurrence) const;
  bool StopConditionMet() const;

  enum class StopWhen { kNever, kAt, kAtWaitAfter, kEventsHandled };
  StopWhen stop_when_ = StopWhen::kNever;
  const char* stop_call_ = nullptr;
  int stop_occurrence_ = 0;
  bool events_handled_ = false;  // a wait found the event script empty

  struct Address {
    char device[16];
    IpAddress address;
    uint8_t prefix;
    bool secondary;
    bool tentative;
    bool dad_failed;
    bool deprecated;
  };
  static constexpr size_t kMaxAddresses = 64;
  Address addresses_[kMaxAddresses];
  size_t address_count_ = 0;
};

// The resource most tests use: vip, 192.0.2.100/24 on eth0, PINGLIST
// 192.0.2.10, short times; eth0's own address is 192.0.2.2/24.
Resource TestResource();

// Part of an expected call log: one call as MockHost logs it, or a step,
// an array of parts (tests/unit/expected_steps.h defines each step once).
class Expected {
 public:
  constexpr Expected(const char* call) : call_(call) {}  // NOLINT: implicit, to read as a list
  template <size_t N>
  constexpr Expected(const Expected (&step)[N]) : parts_(step), count_(N) {}  // NOLINT
  // Writes the calls of `parts`, in order, to out (room for `room`);
  // returns how many there are, even past `room`.
  static size_t Flatten(const Expected* parts, size_t count, const char** out, size_t room);
  constexpr const char* call() const { return call_; }  // nullptr for a step

 private:
  const char* call_ = nullptr;
  const Expected* parts_ = nullptr;
  size_t count_ = 0;
};

// A step of one call as its text, for MockHost::Find.
constexpr const char* Call(const Expected (&step)[1]) {
  return step[0].call();
}

// Fails the test unless the host's call log is exactly `want`, in order.
void ExpectCalls(const MockHost& host, std::initializer_list<Expected> want);
// Fails the test if a run ended because it had not met its stop condition
// (MockHost::StopAt...) in MockHost::kRunBudget calls: a call it waits for
// never came.
void ExpectStopConditionMet(const MockHost& host);
// Fails the test unless the host's state calls are exactly `want`, in order.
void ExpectStateCalls(const MockHost& host, std::initializer_list<const char*> want);
// Fails the test unless s failed in `step` with errno `err`: its message
// starts with step, what failed as the operation names it ("link check",
// "lock vip", "read addresses of eth9"), its errno is err (0: a check that
// did not pass, which has none), and its text ends with that errno's text
// (contract "Binary"). The wording after the step is no contract and is
// not checked.
void ExpectFailure(const Status& s, const char* step, int err);
// Fails the test unless s failed with a message containing needle: for a
// text the contract fixes, or a reason a failure must carry through.
void ExpectError(const Status& s, const char* needle);

}  // namespace ipres
