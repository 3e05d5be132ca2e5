//! What the writer threads did during one scenario: jobs, transactions, their CPU time and the\nmachine's, printed on stderr.

use crate::setup::{machine_jiffies, thread_cpu};

/// The writer threads' work during one scenario: jobs, transactions and CPU time (on stderr).
pub struct WriterWatch {
    jobs: u64,
    txs: u64,
    cpu: f64,
    /// CPU seconds of every thread of this process (server, load generator, workers).
    all: f64,
    /// The machine's (busy, idle) jiffies (`/proc/stat`).
    machine: (u64, u64),
}

impl WriterWatch {
    pub fn start(state: &lvzhi::state::AppState) -> Self {
        let (jobs, txs, _) = state.db.writer.counts.snapshot();
        WriterWatch { jobs, txs, cpu: thread_cpu("lvzhi-writer"), all: thread_cpu(""), machine: machine_jiffies() }
    }

    pub fn report(&self, state: &lvzhi::state::AppState, what: &str, st: &crate::load::Stats) {
        let (j, t, f) = state.db.writer.counts.snapshot();
        let (jobs, txs) = (j - self.jobs, t - self.txs);
        let (busy, idle) = machine_jiffies();
        let (busy, idle) = (busy - self.machine.0, idle - self.machine.1);
        eprintln!(
            "{what}: {jobs} write jobs in {txs} transactions ({:.1} per commit, {f} fallbacks since start); writer threads busy {:.2} s, the process {:.2} s, of {:.2} s; the machine {:.0} % busy",
            jobs as f64 / txs.max(1) as f64,
            thread_cpu("lvzhi-writer") - self.cpu,
            thread_cpu("") - self.all,
            st.elapsed.as_secs_f64(),
            100.0 * busy as f64 / (busy + idle).max(1) as f64
        );
    }
}
