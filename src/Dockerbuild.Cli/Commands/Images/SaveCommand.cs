using System.CommandLine;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Archive;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary>
/// <c>dockerbuild save [-o FILE] IMAGE...</c>: a docker-archive tar as <c>docker save</c> writes it, to FILE
/// or to stdout when that is not a terminal. A repository name without tag saves all its tags.
/// </summary>
internal sealed class SaveCommand(CliHost host) : ICliCommand
{
    public Command Create()
    {
        var images = new Argument<string[]>("IMAGE") { Description = "Images to save", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "Write to a file, instead of STDOUT" };
        var command = new Command("save", "Save one or more images to a tar archive (streamed to STDOUT by default)") { images, output };
        ImageCommandAction.Set(command, host, async (context, cancellationToken) =>
        {
            var file = context.ParseResult.GetValue(output);
            if (file is null && host.IsOutputTerminal)
            {
                throw new UsageException("cowardly refusing to save to a terminal. Use the -o flag or redirect");
            }

            var named = await SelectAsync(context, context.ParseResult.GetRequiredValue(images), cancellationToken);
            if (file is null)
            {
                await using var stdout = host.OpenStandardOutput();
                await DockerArchive.WriteAsync(stdout, context.Store.Blobs, named, cancellationToken);
                return CommandLineApp.Success;
            }

            // Written beside the target and renamed, so a failed save leaves no truncated archive.
            var path = Path.GetFullPath(file);
            var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
            try
            {
                await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
                {
                    await DockerArchive.WriteAsync(stream, context.Store.Blobs, named, cancellationToken);
                }

                File.Move(temporary, path, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }

            return CommandLineApp.Success;
        });
        return command;
    }

    private static async Task<List<NamedImage>> SelectAsync(ImageCommandContext context, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var all = await context.Store.ListAsync(cancellationToken);
        var chosen = new Dictionary<Digest, List<ImageReference>>();
        foreach (var argument in arguments)
        {
            // A bare repository name means all its tags, as docker save does.
            if (ImageReference.TryParse(argument, out var reference) && reference.Tag is null && reference.Digest is null
                && all.SelectMany(image => image.Tags.Select(tag => (image, tag))).Where(pair => pair.tag.Name == reference.Name).ToList() is { Count: > 0 } tagged)
            {
                foreach (var (image, tag) in tagged)
                {
                    Add(image.ManifestDigest, tag);
                }

                continue;
            }

            var record = await context.Store.GetAsync(argument, cancellationToken);
            Add(record.ManifestDigest, ImageReference.TryParse(argument, out var name) && name.Digest is null && record.Tags.Contains(name.WithDefaultTag()) ? name.WithDefaultTag() : null);
        }

        var records = all.ToDictionary(image => image.ManifestDigest);
        var named = new List<NamedImage>();
        foreach (var (digest, names) in chosen)
        {
            var record = records[digest];
            var descriptor = new Descriptor(record.MediaType, digest, context.Store.Blobs.SizeOf(digest) ?? 0);
            if (MediaTypes.IsIndex(record.MediaType))
            {
                // An archive holds one manifest per image: the platform this machine runs, else the one pulled.
                var image = await LocalImages.OpenAsync(context.Store, digest.ToString(), cancellationToken);
                descriptor = image.Manifest.ToDescriptor(image.Manifest.Value.MediaType ?? MediaTypes.OciManifest);
            }

            named.Add(new NamedImage(descriptor, names));
        }

        return named;

        void Add(Digest manifest, ImageReference? name)
        {
            if (!chosen.TryGetValue(manifest, out var names))
            {
                chosen[manifest] = names = [];
            }

            if (name is not null && !names.Contains(name))
            {
                names.Add(name);
            }
        }
    }
}
