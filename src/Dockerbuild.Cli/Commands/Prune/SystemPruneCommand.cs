using System.CommandLine;
using Dockerbuild.Cli.Commands.Images;
using Dockerbuild.Engine.Caching;

namespace Dockerbuild.Cli.Commands.Prune;

/// <summary>
/// <c>dockerbuild system prune [-a] [-f]</c>: docker system prune for what dockerbuild has (no containers,
/// networks or volumes): dangling images (all with <c>-a</c>), then the build cache.
/// </summary>
internal sealed class SystemPruneCommand(CliHost host) : ICliCommand
{
    public Command Create()
    {
        var all = new Option<bool>("--all", "-a") { Description = "Remove all unused images not just dangling ones" };
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var command = new Command("prune", "Remove unused data") { all, force };
        ImageCommandAction.Set(command, host, async (context, cancellationToken) =>
        {
            var everything = context.ParseResult.GetValue(all);
            var warning = "WARNING! This will remove:\n"
                + (everything ? "  - all images without at least one container associated to them\n  - all build cache\n" : "  - all dangling images\n  - unused build cache\n")
                + "\n";
            if (!context.ParseResult.GetValue(force) && !await PruneCommand.ConfirmAsync(context, warning, cancellationToken))
            {
                return CommandLineApp.Success;
            }

            var (images, imageBytes) = await PruneCommand.RemoveImagesAsync(context, everything, cancellationToken);
            var cache = await BuilderPruneCommand.PruneCacheAsync(context, new BuildCachePruneOptions { All = everything }, cancellationToken);
            await PruneCommand.WriteSectionAsync(context.Output, "Deleted Images:", images);
            await PruneCommand.WriteSectionAsync(context.Output, "Deleted build cache objects:", cache.DeletedRecords);
            await context.Output.WriteLineAsync($"Total reclaimed space: {HumanUnits.Size(imageBytes + cache.ReclaimedBytes)}");
            return CommandLineApp.Success;
        });
        return command;
    }
}
