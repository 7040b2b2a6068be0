using System.CommandLine;
using Dockerbuild.Oci;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary><c>dockerbuild tag SOURCE[:TAG] TARGET[:TAG]</c>: a new name for a local image.</summary>
internal sealed class TagCommand(CliHost host) : ICliCommand
{
    public Command Create()
    {
        var source = new Argument<string>("SOURCE_IMAGE[:TAG]") { Description = "A local image: name, ID or digest" };
        var target = new Argument<string>("TARGET_IMAGE[:TAG]") { Description = "The new name" };
        var command = new Command("tag", "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE") { source, target };
        ImageCommandAction.Set(command, host, async (context, cancellationToken) =>
        {
            var name = ImageReference.Parse(context.ParseResult.GetRequiredValue(target));
            if (name.Digest is not null)
            {
                throw new UsageException($"refusing to create a tag with a digest reference: {name.FamiliarString}");
            }

            var image = await context.Store.GetAsync(context.ParseResult.GetRequiredValue(source), cancellationToken);
            await context.Store.TagAsync(name.WithDefaultTag(), image.ManifestDigest, cancellationToken);
            return CommandLineApp.Success;
        });
        return command;
    }
}
