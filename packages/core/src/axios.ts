export const axiosPlaceholder = 1
