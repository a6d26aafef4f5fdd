//! The id of this process, as the fork-aware state (runtimes, connection pools, a token fetch in flight) asks for
//! it on every call: read once per process instead of once per call, since `getpid` is a system call (about
//! 100 ns on a VM, several times per request). A child of `fork()` forgets the parent's id before it runs any
//! code of ours (a `pthread_atfork` handler), so it reads its own on first use.

use std::sync::atomic::{AtomicU32, Ordering};

/// The cached id; 0 means "not read in this process yet" (no process has id 0).
static PID: AtomicU32 = AtomicU32::new(0);

/// This process's id.
pub(crate) fn id() -> u32 {
    match PID.load(Ordering::Relaxed) {
        0 => {
            let pid = std::process::id();
            // Cached only when a child is sure to forget it; else read on every call.
            if forgotten_in_children() {
                PID.store(pid, Ordering::Relaxed);
            }
            pid
        }
        pid => pid,
    }
}

/// Registers (once) the handler that makes a forked child forget the cached id; `false` if that failed.
#[cfg(unix)]
fn forgotten_in_children() -> bool {
    static REGISTERED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    extern "C" fn in_child() {
        PID.store(0, Ordering::Relaxed);
    }
    *REGISTERED.get_or_init(|| {
        // SAFETY: registers a handler that only stores to an atomic, which is async-signal-safe as a forked child
        // requires. If registering fails (ENOMEM), ids are read on every call instead of cached.
        let registered = unsafe { libc::pthread_atfork(None, None, Some(in_child)) } == 0;
        if !registered {
            log::warn!("pthread_atfork failed: reading the process id on every call");
        }
        registered
    })
}

/// No `fork()` here: the id never changes.
#[cfg(not(unix))]
fn forgotten_in_children() -> bool {
    true
}

#[cfg(all(test, unix))]
mod tests {
    #[test]
    fn a_forked_child_reads_its_own_id() {
        let parent = super::id();
        assert_eq!(parent, std::process::id());
        // SAFETY: the child only reads ids, writes one byte to a pipe and exits without unwinding.
        let mut fds = [0; 2];
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        match unsafe { libc::fork() } {
            0 => {
                let ok = super::id() == std::process::id() && super::id() != parent;
                unsafe {
                    libc::write(fds[1], [u8::from(ok)].as_ptr().cast(), 1);
                    libc::_exit(0);
                }
            }
            child => {
                assert!(child > 0);
                let mut answer = [0u8; 1];
                assert_eq!(unsafe { libc::read(fds[0], answer.as_mut_ptr().cast(), 1) }, 1);
                unsafe { libc::waitpid(child, std::ptr::null_mut(), 0) };
                assert_eq!(answer[0], 1, "the child saw its parent's id");
            }
        }
    }
}
