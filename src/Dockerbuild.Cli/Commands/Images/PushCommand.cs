using System.CommandLine;
using Dockerbuild.Cli.Progress;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Json;
using Dockerbuild.Oci.Registry;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary>
/// <c>dockerbuild push [-a] [-q] NAME[:TAG]</c>: uploads local images to a registry. With no tag (or
/// <c>-a</c>) every local tag of the repository is pushed; each ends with <c>TAG: digest: ... size: N</c>.
/// </summary>
internal sealed class PushCommand(CliHost host) : ICliCommand
{
    public Command Create()
    {
        var name = new Argument<string>("NAME[:TAG]") { Description = "The image to push" };
        var allTags = new Option<bool>("--all-tags", "-a") { Description = "Push all tags of the repository (the default when no tag is given)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress verbose output" };
        var command = new Command("push", "Upload an image to a registry") { name, allTags, quiet };
        ImageCommandAction.Set(command, host, async (context, cancellationToken) =>
        {
            var reference = ImageReference.Parse(context.ParseResult.GetRequiredValue(name));
            var isQuiet = context.ParseResult.GetValue(quiet);
            if (reference.Digest is not null)
            {
                throw new UsageException($"cannot push a digest reference ({reference.FamiliarString}); push a tag");
            }

            if (context.ParseResult.GetValue(allTags) && reference.Tag is not null)
            {
                throw new UsageException("tag can't be used with --all-tags/-a");
            }

            var repository = reference.WithoutTagOrDigest();
            IReadOnlyList<string> tags = reference.Tag is { } tag
                ? [tag]
                : [.. (await context.Store.ListAsync(cancellationToken)).SelectMany(image => image.Tags)
                    .Where(t => t.Name == repository.Name).Select(t => t.Tag!).Order(StringComparer.Ordinal)];
            if (tags.Count == 0 || (reference.Tag is not null && await context.Store.FindAsync(reference.ToString(), cancellationToken) is null))
            {
                throw new ImageNotFoundException($"{reference.FamiliarString} (an image does not exist locally with that tag)");
            }

            var output = isQuiet ? TextWriter.Null : context.Output;
            await output.WriteLineAsync($"The push refers to repository [{repository.Name}]");
            using var client = context.CreateRegistryClient();
            foreach (var each in tags)
            {
                await PushOneAsync(context, client, repository.WithTag(each), output, cancellationToken);
            }

            if (isQuiet)
            {
                await context.Output.WriteLineAsync(reference.Tag is null ? repository.Name : reference.ToString());
            }

            return CommandLineApp.Success;
        });
        return command;
    }

    private async Task PushOneAsync(ImageCommandContext context, RegistryClient client, ImageReference target, TextWriter output, CancellationToken cancellationToken)
    {
        var store = context.Store;
        var image = await LocalImages.OpenAsync(store, target.ToString(), cancellationToken);
        var manifest = await ManifestToPushAsync(store, image, cancellationToken);

        // A blob another repository of the same registry holds can be mounted instead of uploaded.
        var mountFrom = image.Record.Names
            .FirstOrDefault(n => n.Registry == target.Registry && n.Repository != target.Repository)?.Repository;
        var layers = image.Layers.Select(layer => layer.Digest).ToList();
        var display = new TransferDisplay(output, host.IsOutputTerminal, TransferDirection.Push, layers, mountFrom);
        display.Start(layers);
        var pushed = await client.PushImageAsync(target, [target.Tag!], manifest, store.Blobs, mountFrom, display, cancellationToken);
        display.Finish();
        if (pushed.Digest == image.Record.ManifestDigest)
        {
            await store.TagAsync(target.WithoutTagOrDigest().WithDigest(pushed.Digest), pushed.Digest, cancellationToken);
        }

        await output.WriteLineAsync($"{target.Tag}: digest: {pushed.Digest} size: {manifest.Content.Length}");
    }

    // The stored document itself; an index pulled for one platform lacks its other children, so the
    // platform's manifest is pushed instead.
    private static async Task<RegistryManifest> ManifestToPushAsync(ImageStore store, LocalImage image, CancellationToken cancellationToken)
    {
        var record = image.Record;
        if (MediaTypes.IsIndex(record.MediaType))
        {
            var index = await store.Blobs.ReadJsonAsync<ImageIndex>(record.ManifestDigest, cancellationToken);
            if (index.Value.Manifests.All(child => store.Blobs.Contains(child.Digest)))
            {
                return new RegistryManifest(record.MediaType, index.Bytes);
            }
        }
        else
        {
            return new RegistryManifest(record.MediaType, await store.Blobs.ReadAllBytesAsync(record.ManifestDigest, cancellationToken));
        }

        var bytes = image.Manifest.Bytes;
        return new RegistryManifest(image.Manifest.Value.MediaType ?? OciJson.DetectMediaType(bytes.Span) ?? MediaTypes.OciManifest, bytes);
    }
}
