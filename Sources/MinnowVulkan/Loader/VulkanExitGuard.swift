#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps the backend's Vulkan calls and the process's exit apart.
///
/// A command-line tool returns from `main` as soon as its last answer is out, and `exit` then
/// runs the static destructors of the Vulkan loader, the driver and the layers. Another thread
/// may still be inside Vulkan at that moment: the model's evaluation thread finishing its last
/// step, or releasing a batch's KV cache when the generator that held it goes away. The
/// validation layer crashed so (SIGSEGV in `libVkLayer_khronos_validation.so`, after every
/// summary had been written) in CI.
///
/// Every Vulkan call of the backend's (opening the device, uploads, evaluations, and the
/// destruction of every object) runs inside ``run(_:)``, under one process-wide recursive lock.
/// An `atexit` handler, registered when the first instance has been created (so that it runs
/// before the destructors of the libraries that instance loaded), takes the same lock and never
/// gives it back: `exit` waits for the call in flight to end, and a thread that tries to call
/// Vulkan after that waits until the process is gone. Objects still alive at exit are left to
/// the operating system, as is usual for a process that ends.
package enum VulkanExitGuard {
    nonisolated(unsafe) private static let mutex: UnsafeMutablePointer<pthread_mutex_t> = {
        let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_RECURSIVE))
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
        return mutex
    }()

    /// Registers the exit handler, once per process.
    private static let registration: Void = {
        atexit { pthread_mutex_lock(VulkanExitGuard.mutex) }
    }()

    /// Runs `body`, which calls Vulkan, while the process is not exiting.
    package static func run<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Makes `exit` wait for the Vulkan call in flight. Call it after creating an instance, whose
    /// loader has by then loaded the driver and layers that exit would tear down.
    package static func registerExitHandler() {
        _ = registration
    }
}
