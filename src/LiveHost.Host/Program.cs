// Composition root: filled in as the stages land.
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.Run();
