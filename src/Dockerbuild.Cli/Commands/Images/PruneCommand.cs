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
            var warning = everything
                ? "WARNING! This will remove all images without at least one container associated to them."
                : "WARNING! This will remove all dangling images.";
            if (!context.ParseResult.GetValue(force) && !await ConfirmAsync(context, warning + "\n", cancellationToken))
            {
                return CommandLineApp.Success;
            }

            var (lines, reclaimed) = await RemoveImagesAsync(context, everything, cancellationToken);
            await WriteSectionAsync(context.Output, "Deleted Images:", lines);
            await context.Output.WriteLineAsync($"Total reclaimed space: {HumanUnits.Size(reclaimed)}");
            return CommandLineApp.Success;
        });
        return command;
    }

    /// <summary>Prints <paramref name="warning"/> and docker's question; true when the answer is yes.</summary>
    public static async Task<bool> ConfirmAsync(ImageCommandContext context, string warning, CancellationToken cancellationToken)
    {
        await context.Output.WriteAsync(warning);
        await context.Output.WriteAsync("Are you sure you want to continue? [y/N] ");
        await context.Output.FlushAsync(cancellationToken);
        using var reader = new StreamReader(context.Host.OpenStandardInput());
        var answer = (await reader.ReadLineAsync(cancellationToken))?.Trim();
        return string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) || string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>docker's list of removed objects under a heading and a blank line; nothing when empty.</summary>
    public static async Task WriteSectionAsync(TextWriter output, string heading, IReadOnlyList<string> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }

        await output.WriteLineAsync(heading);
        foreach (var line in lines)
        {
            await output.WriteLineAsync(line);
        }

        await output.WriteLineAsync();
    }

    /// <summary>Removes dangling (or, with <paramref name="everything"/>, all) images and unreferenced content: docker's untagged/deleted lines and the bytes freed.</summary>
    public static async Task<(IReadOnlyList<string> Lines, long Reclaimed)> RemoveImagesAsync(ImageCommandContext context, bool everything, CancellationToken cancellationToken)
    {
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
        return (lines, reclaimed);
    }
}
