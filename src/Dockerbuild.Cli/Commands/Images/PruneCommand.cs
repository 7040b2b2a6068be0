using System.CommandLine;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary>
/// <c>dockerbuild image prune [-a] [-f]</c>: removes dangling images (all unused images with <c>-a</c>; no
/// container ever uses one here) with their blobs, then content no image references; asks first unless
/// <c>-f</c>. Prints docker's <c>Deleted Images:</c> list and <c>Total reclaimed space:</c>.
/// </summary>
internal sealed class PruneCommand(CliHost host) : ICliCommand
{
    public Command Create()
    {
        var all = new Option<bool>("--all", "-a") { Description = "Remove all unused images, not just dangling ones" };
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var command = new Command("prune", "Remove unused images") { all, force };
        ImageCommandAction.Set(command, host, async (context, cancellationToken) =>
        {
            var everything = context.ParseResult.GetValue(all);
            if (!context.ParseResult.GetValue(force))
            {
                await context.Output.WriteLineAsync(everything
                    ? "WARNING! This will remove all images without at least one container associated to them."
                    : "WARNING! This will remove all dangling images.");
                await context.Output.WriteAsync("Are you sure you want to continue? [y/N] ");
                await context.Output.FlushAsync(cancellationToken);
                using var reader = new StreamReader(host.OpenStandardInput());
                var answer = (await reader.ReadLineAsync(cancellationToken))?.Trim();
                if (!string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) && !string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
                {
                    return CommandLineApp.Success;
                }
            }

            // Images are removed one by one so their blobs go at once (rmi's rule); the store's prune then
            // sweeps content no image references, sparing blobs young enough to belong to a build in flight.
            var lines = new List<string>();
            long reclaimed = 0;
            foreach (var image in await context.Store.ListAsync(cancellationToken))
            {
                if (!everything && !image.IsDangling)
                {
                    continue;
                }

                var removal = await context.Store.RemoveAsync(image.ManifestDigest.ToString(), force: true, cancellationToken);
                lines.AddRange(removal.Untagged.Select(name => $"untagged: {name.FamiliarString}"));
                lines.AddRange(removal.DeletedImages.Select(id => $"deleted: {id}"));
                reclaimed += removal.ReclaimedBytes;
            }

            var swept = await context.Store.PruneAsync(all: false, cancellationToken: cancellationToken);
            lines.AddRange(swept.Untagged.Select(name => $"untagged: {name.FamiliarString}"));
            lines.AddRange(swept.DeletedImages.Select(id => $"deleted: {id}"));
            reclaimed += swept.ReclaimedBytes;
            if (lines.Count > 0)
            {
                await context.Output.WriteLineAsync("Deleted Images:");
                foreach (var line in lines)
                {
                    await context.Output.WriteLineAsync(line);
                }

                await context.Output.WriteLineAsync();
            }

            await context.Output.WriteLineAsync($"Total reclaimed space: {HumanUnits.Size(reclaimed)}");
            return CommandLineApp.Success;
        });
        return command;
    }
}
