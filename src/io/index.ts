// Filled in by issue "nn, optim and io".
export {};
