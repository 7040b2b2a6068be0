using Dockerbuild.Oci.Unix;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Dockerbuild.Engine.Runtime;

/// <summary>
/// Runs containers with runc (or a compatible runtime such as crun) the way BuildKit's runc executor
/// does: one bundle per run with a generated config.json, hosts and resolv.conf beside it, `runc run`
/// in the foreground with its stdout and stderr piped, a private state root, and on cancellation
/// `runc kill KILL` then `runc delete --force`. Signals of <see cref="ContainerSpec.Signals"/> are
/// delivered with `runc kill ID SIGNAL`, as BuildKit's executor and docker's signal proxy do.
/// </summary>
public sealed class RuncRuntime : IOciRuntime
{
    private readonly RuncRuntimeOptions options;
    private readonly string binary;
    private readonly string stateRoot;

    public RuncRuntime(RuncRuntimeOptions? options = null)
    {
        this.options = options ?? new RuncRuntimeOptions();
        binary = HostBinaries.Find(this.options.Binary)
            ?? throw new ContainerRuntimeException($"The OCI runtime '{this.options.Binary}' was not found; install it (Debian package '{Path.GetFileName(this.options.Binary)}') or configure another runtime.");
        stateRoot = Path.GetFullPath(this.options.StateRoot ?? DefaultStateRoot());
    }

    /// <summary>The runtime binary in use.</summary>
    public string Binary => binary;

    public async Task<ContainerResult> RunAsync(ContainerSpec spec, Func<OutputLine, ValueTask>? onOutput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        cancellationToken.ThrowIfCancellationRequested();
        var id = "dockerbuild-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        var bundle = Directory.CreateDirectory(Path.Combine(stateRoot, "bundles", id)).FullName;
        using var lease = DirectoryLease.Take(bundle);
        try
        {
            var hosts = Path.Combine(bundle, "hosts");
            await File.WriteAllTextAsync(hosts, HostFiles.Hosts(spec.Hostname, spec.ExtraHosts), cancellationToken).ConfigureAwait(false);
            var resolvConf = Path.Combine(bundle, "resolv.conf");
            await File.WriteAllTextAsync(resolvConf, await HostFiles.ResolvConfAsync(spec.Network, options.HostResolvConf, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

            var rootless = options.Rootless ?? !HostEnvironment.IsRoot;
            IReadOnlyList<IdMapping>? mappings = rootless
                ? options.IdMappings ?? [new IdMapping(0, Native.EffectiveUserId(), 0, Native.EffectiveGroupId(), 1)]
                : null;
            var config = OciSpec.Build(spec, hosts, resolvConf, mappings, HostEnvironment.InUserNamespace, spec.Privileged ? HostEnvironment.BoundingCapabilities : null);
            await File.WriteAllTextAsync(Path.Combine(bundle, "config.json"), config.ToJsonString(), cancellationToken).ConfigureAwait(false);

            CreateWorkingDirectory(spec);
            var stubs = MountStubs.Record(spec.RootfsPath, ["/etc/resolv.conf", "/etc/hosts", .. spec.Mounts.Select(m => m.Destination)]);
            try
            {
                return await RunContainerAsync(id, bundle, onOutput, spec.Signals, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                stubs.Remove();
            }
        }
        finally
        {
            Directory.Delete(bundle, recursive: true);
        }
    }

    private async Task<ContainerResult> RunContainerAsync(string id, string bundle, Func<OutputLine, ValueTask>? onOutput, ContainerSignals? signals, CancellationToken cancellationToken)
    {
        var log = Path.Combine(bundle, "runtime.log");
        // Ctrl+C at a terminal reaches the whole foreground process group, and `runc run` forwards what it
        // receives: when signals are proxied by `runc kill`, runc gets a session of its own (util-linux
        // setsid, which execs in place), so the container gets each signal once, as under docker.
        var setsid = signals is null ? null : HostBinaries.Find("setsid");
        var start = new ProcessStartInfo(setsid ?? binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[.. setsid is null ? [] : (string[])[binary], .. GlobalArguments(), "--log", log, "--log-format", "json", "run", "--bundle", bundle, id])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ContainerRuntimeException($"Starting the OCI runtime '{binary}' failed: {e.Message}", e);
        }

        process.StandardInput.Close();
        var sink = new OutputSink(onOutput);
        Task? killing = null;
        var forwarding = new List<Task>();
        // Attached before any output is read, so whoever has seen the container's output can signal it
        // (a signal before the container exists is retried until `runc kill` finds it).
        using (signals?.Attach(signal =>
        {
            lock (forwarding)
            {
                forwarding.Add(Task.Run(() => ForwardAsync(id, process, signal)));
            }
        }))
        using (cancellationToken.Register(() => killing = KillUntilExitedAsync(id, process)))
        {
            var pumps = Task.WhenAll(
                PumpAsync(process.StandardOutput, OutputStream.Stdout, sink),
                PumpAsync(process.StandardError, OutputStream.Stderr, sink));
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await pumps.ConfigureAwait(false);
        }

        if (killing is not null)
        {
            await killing.ConfigureAwait(false);
        }

        // Detached above, so the list is final: no `runc kill` is left to race the delete below.
        await Task.WhenAll(forwarding).ConfigureAwait(false);

        if (Directory.Exists(Path.Combine(stateRoot, "state", id)))
        {
            await RunQuietAsync(["delete", "--force", id]).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        sink.ThrowIfFailed();
        if (process.ExitCode != 0 && await RuntimeErrorAsync(log).ConfigureAwait(false) is { } error)
        {
            throw new ContainerRuntimeException($"{Path.GetFileName(binary)} could not run the container: {error}");
        }

        return new ContainerResult(process.ExitCode);
    }

    /// <summary>
    /// Kills and deletes the containers of builds that were killed (their bundle is no longer held by a
    /// live process) and removes their bundles. Running containers of live builds are untouched.
    /// </summary>
    /// <returns>How many were cleaned up.</returns>
    public async Task<int> RemoveAbandonedAsync(CancellationToken cancellationToken)
    {
        var bundles = Path.Combine(stateRoot, "bundles");
        if (!Directory.Exists(bundles))
        {
            return 0;
        }

        var removed = 0;
        foreach (var bundle in Directory.EnumerateDirectories(bundles))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!DirectoryLease.IsAbandoned(bundle))
            {
                continue;
            }

            var id = Path.GetFileName(bundle);
            await RunQuietAsync(["kill", id, "KILL"]).ConfigureAwait(false);
            await RunQuietAsync(["delete", "--force", id]).ConfigureAwait(false);
            Directory.Delete(bundle, recursive: true);
            removed++;
        }

        return removed;
    }

    /// <summary>
    /// BuildKit creates a missing working directory itself (0755, owned by the container's root) rather
    /// than leaving it to the runtime; unlike mount stubs it stays in the layer.
    /// </summary>
    private static void CreateWorkingDirectory(ContainerSpec spec)
    {
        var missing = new Stack<string>();
        var root = Path.GetFullPath(spec.RootfsPath).TrimEnd('/');
        for (var path = RootPath.Resolve(root, spec.WorkingDirectory); path.Length > root.Length && UnixFiles.TryLStat(path) is null; path = Path.GetDirectoryName(path)!)
        {
            missing.Push(path);
        }

        while (missing.TryPop(out var directory))
        {
            Directory.CreateDirectory(directory);
            UnixFiles.Chmod(directory, 0b111_101_101);
        }
    }

    /// <summary>
    /// Runtime state belongs on a tmpfs that is private to the user (runc's own default is /run/runc):
    /// /run as the real root, $XDG_RUNTIME_DIR otherwise, the temp directory as a last resort. Root of a
    /// user namespace (rootlesskit, unshare -r) cannot write /run, and is named in the temp directory by
    /// the user it stands for, so two users' namespaces never share a directory.
    /// </summary>
    private static string DefaultStateRoot()
    {
        if (HostEnvironment.IsRoot && !HostEnvironment.InUserNamespace)
        {
            return "/run/dockerbuild/runtime";
        }

        var runtimeDirectory = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        return string.IsNullOrEmpty(runtimeDirectory)
            ? Path.Combine(Path.GetTempPath(), $"dockerbuild-runtime-{HostEnvironment.HostUserId}")
            : Path.Combine(runtimeDirectory, "dockerbuild", "runtime");
    }

    private string[] GlobalArguments() => ["--root", Path.Combine(stateRoot, "state")];

    /// <summary>
    /// Kill is retried until `runc run` exits: a cancellation that arrives before the container exists
    /// would otherwise be lost while runc goes on to start it.
    /// </summary>
    private Task KillUntilExitedAsync(string id, Process process) => SignalAsync(id, process, "KILL", untilExited: true);

    /// <summary>
    /// A forwarded signal is retried too while the container is still being created, until it is delivered
    /// or `runc run` has exited. After a few seconds a failure is taken as final (the container has
    /// stopped), so a runtime that keeps failing is not called forever.
    /// </summary>
    private Task ForwardAsync(string id, Process process, string signal) => SignalAsync(id, process, signal, untilExited: false);

    private async Task SignalAsync(string id, Process process, string signal, bool untilExited)
    {
        for (var attempt = 0; !process.HasExited && (untilExited || attempt < 50); attempt++)
        {
            if (await RunQuietAsync(["kill", id, signal]).ConfigureAwait(false) == 0 && !untilExited)
            {
                return;
            }

            try
            {
                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }
    }

    private async Task<int> RunQuietAsync(string[] arguments)
    {
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[.. GlobalArguments(), .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        await drain.ConfigureAwait(false);
        return process.ExitCode;
    }

    private static async Task PumpAsync(StreamReader reader, OutputStream stream, OutputSink sink)
    {
        while (await reader.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
        {
            await sink.WriteAsync(new OutputLine(stream, line)).ConfigureAwait(false);
        }
    }

    /// <summary>The runtime's own last error (its JSON log), which tells a start failure from a failing command.</summary>
    private static async Task<string?> RuntimeErrorAsync(string log)
    {
        if (!File.Exists(log))
        {
            return null;
        }

        string? error = null;
        foreach (var line in await File.ReadAllLinesAsync(log, CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                using var entry = JsonDocument.Parse(line);
                if (entry.RootElement.TryGetProperty("level", out var level) && level.GetString() is "error" or "fatal"
                    && entry.RootElement.TryGetProperty("msg", out var message))
                {
                    error = message.GetString();
                }
            }
            catch (JsonException)
            {
            }
        }

        return error;
    }
}
