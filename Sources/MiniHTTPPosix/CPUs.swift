import CSystem
import Glibc
import MiniHTTPCore

/// The CPUs this process may run on (its affinity mask, as `taskset` sets it).
package enum CPUs {
    package static var available: Int {
        let count = Int(csystem_available_cpus())
        return count > 0 ? count : max(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 1)
    }
}
