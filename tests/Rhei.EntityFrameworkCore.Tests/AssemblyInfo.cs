// Engines are shared per connection string and torn down with ClearPool at the end of each test; running
// tests one at a time also keeps this project's load low on a shared build machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
