using System.CommandLine;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary>
/// <c>dockerbuild rmi [-f] IMAGE...</c>: by name, untags (and deletes the image with its last tag); by ID,
/// deletes the image, which needs <c>-f</c> when tags of several repositories name it. Prints docker's
/// <c>Untagged:</c> and <c>Deleted:</c> lines; failures are reported per image and make the exit code 1.
/// </summary>
internal sealed class RmiCommand(CliHost host, string name = "rmi") : ICliCommand
{
    public Command Create()
    {
        var images = new Argument<string[]>("IMAGE") { Description = "Images to remove", Arity = ArgumentArity.OneOrMore };
        var force = new Option<bool>("--force", "-f") { Description = "Force removal of the image" };
        var command = new Command(name, "Remove one or more images") { images, force };
        if (name == "rm")
        {
            command.Aliases.Add("remove");
        }

        ImageCommandAction.Set(command, host, async (context, cancellationToken) =>
        {
            var failed = false;
            foreach (var image in context.ParseResult.GetRequiredValue(images))
            {
                try
                {
                    var removal = await context.Store.RemoveAsync(image, context.ParseResult.GetValue(force), cancellationToken);
                    foreach (var untagged in removal.Untagged)
                    {
                        await context.Output.WriteLineAsync($"Untagged: {untagged.FamiliarString}");
                    }

                    foreach (var deleted in removal.DeletedImages)
                    {
                        await context.Output.WriteLineAsync($"Deleted: {deleted}");
                    }
                }
                catch (Exception e) when (ImageCommandAction.IsUserError(e))
                {
                    await context.Error.WriteLineAsync(ImageCommandAction.ErrorLine(e));
                    failed = true;
                }
            }

            return failed ? CommandLineApp.Failure : CommandLineApp.Success;
        });
        return command;
    }
}
