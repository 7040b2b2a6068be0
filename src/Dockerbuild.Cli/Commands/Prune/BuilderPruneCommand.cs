using System.CommandLine;
using Dockerbuild.Cli.Commands.Images;
using Dockerbuild.Engine.Caching;

namespace Dockerbuild.Cli.Commands.Prune;

/// <summary>
/// <c>dockerbuild builder prune [-a] [-f] [--filter until=D] [--keep-storage SIZE]</c>: docker builder
/// prune over the store's build cache (step entries, cache mounts, extracted layers, their blobs).
/// Waits for builds in flight. Prints <c>Deleted build cache objects:</c> and <c>Total reclaimed space:</c>.
/// </summary>
internal sealed class BuilderPruneCommand(CliHost host) : ICliCommand
{
    public Command Create()
    {
        var all = new Option<bool>("--all", "-a") { Description = "Remove all unused build cache, not just dangling ones" };
        var filter = new Option<string[]>("--filter") { Description = "Provide filter values (e.g. 'until=24h')", AllowMultipleArgumentsPerToken = false };
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var keepStorage = new Option<string?>("--keep-storage") { Description = "Amount of disk space to keep for cache" };
        var command = new Command("prune", "Remove build cache") { all, filter, force, keepStorage };
        ImageCommandAction.Set(command, host, async (context, cancellationToken) =>
        {
            var options = new BuildCachePruneOptions
            {
                All = context.ParseResult.GetValue(all),
                UnusedFor = PruneArguments.UnusedFor(context.ParseResult.GetValue(filter) ?? []),
                KeepStorage = context.ParseResult.GetValue(keepStorage) is { } keep ? PruneArguments.Bytes(keep) : null,
            };
            var warning = options.All ? "WARNING! This will remove all build cache. " : "WARNING! This will remove all dangling build cache. ";
            if (!context.ParseResult.GetValue(force) && !await PruneCommand.ConfirmAsync(context, warning, cancellationToken))
            {
                return CommandLineApp.Success;
            }

            var result = await PruneCacheAsync(context, options, cancellationToken);
            await PruneCommand.WriteSectionAsync(context.Output, "Deleted build cache objects:", result.DeletedRecords);
            await context.Output.WriteLineAsync($"Total reclaimed space: {HumanUnits.Size(result.ReclaimedBytes)}");
            return CommandLineApp.Success;
        });
        return command;
    }

    /// <summary>Runs the engine's prune, saying on stderr when it has to wait for builds in flight.</summary>
    public static Task<BuildCachePruneResult> PruneCacheAsync(ImageCommandContext context, BuildCachePruneOptions options, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The build cache exists on Linux only.");
        }

        return new BuildCachePruner(context.Store).PruneAsync(
            options,
            () => context.Error.WriteLine("Waiting for the builds and runs in flight to finish..."),
            cancellationToken);
    }
}
