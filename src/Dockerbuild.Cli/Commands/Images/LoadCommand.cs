using System.CommandLine;
using Dockerbuild.Oci.Archive;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary>
/// <c>dockerbuild load [-i FILE] [-q]</c>: images from a docker-archive (or OCI archive) tar, plain, gzip or
/// zstd, from FILE or stdin; prints <c>Loaded image: NAME:TAG</c> or <c>Loaded image ID: sha256:...</c>.
/// </summary>
internal sealed class LoadCommand(CliHost host) : ICliCommand
{
    public Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "Read from tar archive file, instead of STDIN" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress the load output" };
        var command = new Command("load", "Load images from a tar archive or STDIN") { input, quiet };
        ImageCommandAction.Set(command, host, async (context, cancellationToken) =>
        {
            var file = context.ParseResult.GetValue(input);
            if (file is null && host.IsInputTerminal)
            {
                throw new UsageException("requested load from stdin, but stdin is a terminal; use -i FILE or redirect an archive");
            }

            await using var stream = file is null
                ? host.OpenStandardInput()
                : new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
            var images = await DockerArchive.LoadAsync(stream, context.Store.Blobs, cancellationToken);
            foreach (var image in images)
            {
                var tags = image.Names.Where(n => n.Tag is not null).ToList();
                foreach (var tag in tags)
                {
                    if (await context.Store.FindAsync(tag.ToString(), cancellationToken) is { } previous && previous.ManifestDigest != image.Manifest.Digest)
                    {
                        await context.Output.WriteLineAsync($"The image {tag.FamiliarString} already exists, renaming the old one with ID {previous.Id} to empty string");
                    }
                }

                var record = await context.Store.AddAsync(image.Manifest.Digest, tags, cancellationToken);
                if (tags.Count == 0)
                {
                    await context.Output.WriteLineAsync($"Loaded image ID: {record.Id}");
                }

                foreach (var tag in tags)
                {
                    await context.Output.WriteLineAsync($"Loaded image: {tag.FamiliarString}");
                }
            }

            return CommandLineApp.Success;
        });
        return command;
    }
}
