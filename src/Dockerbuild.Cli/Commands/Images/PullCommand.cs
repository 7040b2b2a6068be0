using System.CommandLine;
using Dockerbuild.Cli.Progress;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Registry;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary>
/// <c>dockerbuild pull [-a] [--platform P] [-q] NAME[:TAG|@DIGEST]</c>: downloads an image into the local
/// store with docker's progress lines, then prints <c>Digest:</c>, <c>Status:</c> and the full reference.
/// </summary>
internal sealed class PullCommand(CliHost host) : ICliCommand
{
    public Command Create()
    {
        var name = new Argument<string>("NAME[:TAG|@DIGEST]") { Description = "The image to pull" };
        var allTags = new Option<bool>("--all-tags", "-a") { Description = "Download all tagged images in the repository" };
        var platform = new Option<string>("--platform") { Description = "Pull the image for this platform (os[/arch[/variant]])" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress verbose output" };
        var command = new Command("pull", "Download an image from a registry") { name, allTags, platform, quiet };
        ImageCommandAction.Set(command, host, async (context, cancellationToken) =>
        {
            var reference = ImageReference.Parse(context.ParseResult.GetRequiredValue(name));
            var all = context.ParseResult.GetValue(allTags);
            var isQuiet = context.ParseResult.GetValue(quiet);
            var wanted = context.ParseResult.GetValue(platform) is { } p ? Platform.Parse(p) : Platform.Current;
            if (all && (reference.Tag is not null || reference.Digest is not null))
            {
                throw new UsageException("tag can't be used with --all-tags/-a");
            }

            var output = isQuiet ? TextWriter.Null : context.Output;
            if (!all && reference.Tag is null && reference.Digest is null)
            {
                await output.WriteLineAsync($"Using default tag: {ImageReference.DefaultTag}");
                reference = reference.WithDefaultTag();
            }

            using var client = context.CreateRegistryClient();
            IReadOnlyList<ImageReference> targets = all
                ? [.. (await client.ListTagsAsync(reference, cancellationToken)).Order(StringComparer.Ordinal).Select(reference.WithTag)]
                : [reference];
            var updated = false;
            foreach (var target in targets)
            {
                updated |= await PullOneAsync(context, client, target, wanted, output, cancellationToken);
            }

            var shown = all ? reference.FamiliarName : reference.FamiliarString;
            await output.WriteLineAsync(updated ? $"Status: Downloaded newer image for {shown}" : $"Status: Image is up to date for {shown}");
            await context.Output.WriteLineAsync(all ? reference.Name : reference.ToString());
            return CommandLineApp.Success;
        });
        return command;
    }

    // Returns whether the local name now points at a different image than before.
    private async Task<bool> PullOneAsync(ImageCommandContext context, RegistryClient client, ImageReference reference, Platform platform, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync($"{reference.Tag ?? reference.Digest?.ToString()}: Pulling from {reference.Repository}");

        // Resolved first so the display lists the layers in order, as docker does; the pull then goes by digest.
        var top = await client.GetManifestAsync(reference, cancellationToken);
        var manifest = top;
        if (top.IsIndex)
        {
            var entry = top.ParseIndex().Value.FindManifest(platform)
                ?? throw new RegistryNotFoundException(reference.Registry, $"no matching manifest for {platform} in the manifest list entries of {reference.FamiliarString}");
            manifest = await client.GetManifestAsync(reference.WithoutTagOrDigest().WithDigest(entry.Digest), cancellationToken);
        }

        var layers = manifest.IsIndex ? [] : manifest.ParseManifest().Value.Layers.Select(layer => layer.Digest).ToList();
        var display = new TransferDisplay(output, host.IsOutputTerminal, TransferDirection.Pull, layers);
        display.Start(layers.Where(layer => !context.Store.Blobs.Contains(layer)));
        var pulled = await client.PullImageAsync(reference.WithoutTagOrDigest().WithDigest(top.Digest), platform, context.Store.Blobs, display, cancellationToken);
        display.Finish();

        var before = await context.Store.FindAsync(reference.ToString(), cancellationToken);
        List<ImageReference> names = [reference.WithoutTagOrDigest().WithDigest(pulled.Digest)];
        if (reference.Tag is not null)
        {
            names.Add(reference.Digest is null ? reference : reference.WithoutTagOrDigest().WithTag(reference.Tag));
        }

        await context.Store.AddAsync(pulled.Digest, names, cancellationToken);
        await output.WriteLineAsync($"Digest: {pulled.Digest}");
        return before?.ManifestDigest != pulled.Digest;
    }
}
