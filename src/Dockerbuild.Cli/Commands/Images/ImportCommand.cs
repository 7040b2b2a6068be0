using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Json;
using Dockerbuild.Oci.Layers;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary>
/// <c>dockerbuild import FILE|- [REPOSITORY[:TAG]] [-c INSTRUCTION]... [-m MESSAGE] [--platform P]</c>: a
/// root filesystem tarball (plain, gzip or zstd) becomes a one-layer image; prints its ID like docker.
/// </summary>
internal sealed class ImportCommand(CliHost host) : ICliCommand
{
    public Command Create()
    {
        var source = new Argument<string>("file|-") { Description = "A tarball of the root filesystem, or - for STDIN" };
        var repository = new Argument<string?>("REPOSITORY[:TAG]") { Description = "Name for the imported image", Arity = ArgumentArity.ZeroOrOne };
        var changes = new Option<string[]>("--change", "-c") { Description = "Apply Dockerfile instruction to the created image (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, USER, VOLUME, WORKDIR)" };
        var message = new Option<string>("--message", "-m") { Description = "Set commit message for imported image" };
        var platform = new Option<string>("--platform") { Description = "Set platform if server is multi-platform capable" };
        var command = new Command("import", "Import the contents from a tarball to create a filesystem image") { source, repository, changes, message, platform };
        ImageCommandAction.Set(command, host, async (context, cancellationToken) =>
        {
            var parse = context.ParseResult;
            var from = parse.GetRequiredValue(source);
            var name = parse.GetValue(repository) is { } r ? ImageReference.Parse(r) : null;
            if (name?.Digest is not null)
            {
                throw new UsageException($"refusing to create a tag with a digest reference: {name.FamiliarString}");
            }

            if (from.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || from.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                throw new UsageException("importing from a URL is not supported; download the tarball and import the file");
            }

            // Applied before reading the tarball, so a bad change fails fast.
            var containerConfig = ConfigChanges.Apply(new ContainerConfig(), parse.GetValue(changes) ?? []);
            var target = parse.GetValue(platform) is { } p ? Platform.Parse(p) : Platform.Current;
            var comment = parse.GetValue(message) is { Length: > 0 } m ? m : "Imported from " + from;

            var blobs = context.Store.Blobs;
            Descriptor layer;
            Digest diffId;
            await using (var input = from == "-" ? host.OpenStandardInput() : new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous))
            await using (var tar = new TarHeaderCheckStream(await LayerDecompression.OpenAsync(input, cancellationToken)))
            await using (var writer = blobs.CreateWriter())
            {
                var info = await LayerWriter.CompressAsync(tar, writer.Stream, new LayerWriteOptions(), cancellationToken);
                layer = await writer.CommitAsync(info.MediaType, info.Digest, info.Size, cancellationToken);
                diffId = info.DiffId;
            }

            var created = DateTimeOffset.UtcNow;
            var config = new ImageConfig
            {
                Created = created,
                Config = containerConfig,
                RootFs = new RootFs { DiffIds = [diffId] },
                History = [new History { Created = created, Comment = comment }],
            }.WithPlatform(target);

            // docker's config also carries the message as its top-level "comment", which the model keeps among unknown fields.
            var node = JsonNode.Parse(OciJson.Serialize(config))!.AsObject();
            node["comment"] = comment;
            var configDescriptor = await blobs.WriteAsync(Encoding.UTF8.GetBytes(node.ToJsonString()), MediaTypes.OciConfig, cancellationToken);
            var manifest = RawJson<ImageManifest>.Create(new ImageManifest(configDescriptor, [layer]) { MediaType = MediaTypes.OciManifest });
            var manifestDescriptor = await blobs.WriteAsync(manifest, MediaTypes.OciManifest, cancellationToken);
            var record = await context.Store.AddAsync(manifestDescriptor.Digest, name is null ? [] : [name.WithDefaultTag()], cancellationToken);
            await context.Output.WriteLineAsync(record.Id.ToString());
            return CommandLineApp.Success;
        });
        return command;
    }
}
