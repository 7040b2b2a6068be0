// A minimal API that counts its visits in a file under the data folder the Dockerfile's RUN made
// writable for the non-root user.
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

var data = app.Configuration["APP_DATA"] ?? Path.Combine(AppContext.BaseDirectory, "data");
Directory.CreateDirectory(data);
var counter = Path.Combine(data, "visits.txt");
var gate = new SemaphoreSlim(1, 1);

app.MapGet("/", () => TypedResults.Text("Hello from a Dockerbuild image!"));

app.MapGet("/hello/{name}", async (string name, CancellationToken cancellationToken) =>
{
    await gate.WaitAsync(cancellationToken);
    try
    {
        var visits = File.Exists(counter) ? int.Parse(await File.ReadAllTextAsync(counter, cancellationToken)) + 1 : 1;
        await File.WriteAllTextAsync(counter, visits.ToString(), cancellationToken);
        return TypedResults.Ok(new Greeting($"Hello, {name}!", visits, Environment.UserName));
    }
    finally
    {
        gate.Release();
    }
});

app.Run();

internal sealed record Greeting(string Message, int Visits, string User);
