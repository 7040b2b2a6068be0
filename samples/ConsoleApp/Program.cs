using System.Runtime.InteropServices;

// Says who and where it runs, then leaves a note in the data folder the Dockerfile's RUN prepared
// for the non-root user.
var name = args.Length > 0 ? string.Join(' ', args) : "Dockerbuild";
Console.WriteLine($"Hello, {name}!");
Console.WriteLine($"{RuntimeInformation.FrameworkDescription} on {OperatingSystemName()} ({RuntimeInformation.OSArchitecture})");
Console.WriteLine($"Running as user {Environment.UserName}, in a container: {Environment.GetEnvironmentVariable("DOTNET_RUNNING_IN_CONTAINER") == "true"}");

var data = Environment.GetEnvironmentVariable("APP_DATA") ?? Path.Combine(AppContext.BaseDirectory, "data");
Directory.CreateDirectory(data);
var note = Path.Combine(data, "last-run.txt");
File.WriteAllText(note, $"{DateTimeOffset.UtcNow:O} {name}\n");
Console.WriteLine($"Wrote {note}");

static string OperatingSystemName()
{
    // /etc/os-release names the distribution the image is built on.
    const string OsRelease = "/etc/os-release";
    var pretty = File.Exists(OsRelease)
        ? File.ReadLines(OsRelease).FirstOrDefault(line => line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
        : null;
    return pretty?["PRETTY_NAME=".Length..].Trim('"') ?? RuntimeInformation.OSDescription;
}
